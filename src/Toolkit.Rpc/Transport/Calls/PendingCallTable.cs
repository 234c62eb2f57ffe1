using System.Diagnostics.CodeAnalysis;

namespace Toolkit.Rpc.Transport;

/// <summary>
/// A connection's calls awaiting their replies, by call id. A dictionary under a lock rather than a
/// <see cref="System.Collections.Concurrent.ConcurrentDictionary{TKey, TValue}"/>: that one allocates a node for every
/// call, this one reuses its entries, and its lock is all but uncontended (callers add, the reader removes, and on a
/// dedicated reader both are mostly the same thread).
/// </summary>
internal sealed class PendingCallTable
{
    private readonly Lock _lock = new();
    private readonly Dictionary<long, RemoteCall> _calls = [];

    public void Add(RemoteCall call)
    {
        lock (_lock)
        {
            _calls[call.CallId] = call;
        }
    }

    /// <summary>Removes and returns the call with <paramref name="callId"/>, if it is still here.</summary>
    public bool TryRemove(long callId, [NotNullWhen(true)] out RemoteCall? call)
    {
        lock (_lock)
        {
            return _calls.Remove(callId, out call);
        }
    }

    /// <summary>Removes <paramref name="call"/> itself, if it is still here (not a later call that reused its id).</summary>
    public bool TryRemove(RemoteCall call)
    {
        lock (_lock)
        {
            return _calls.TryGetValue(call.CallId, out RemoteCall? found) && found == call && _calls.Remove(call.CallId);
        }
    }

    /// <summary>Removes and returns every call, with the id each was registered under: the connection closed.</summary>
    public KeyValuePair<long, RemoteCall>[] TakeAll()
    {
        lock (_lock)
        {
            KeyValuePair<long, RemoteCall>[] calls = [.. _calls];
            _calls.Clear();
            return calls;
        }
    }
}
