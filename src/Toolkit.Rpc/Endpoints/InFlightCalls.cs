using Toolkit.Rpc.Calls;

namespace Toolkit.Rpc;

/// <summary>
/// The calls an endpoint runs that await inside their method (most finish within their dispatch and are never
/// tracked): stopping the endpoint fails them, by the use each was tracked for.
/// </summary>
internal sealed class InFlightCalls
{
    private readonly Dictionary<PendingCall, long> _calls = [];

    public bool IsEmpty
    {
        get
        {
            lock (_calls)
            {
                return _calls.Count == 0;
            }
        }
    }

    public void Track(PendingCall call, long token)
    {
        lock (_calls)
        {
            _calls[call] = token;
        }
    }

    public void Untrack(PendingCall call)
    {
        lock (_calls)
        {
            _calls.Remove(call);
        }
    }

    /// <summary>Fails every tracked call, with the endpoint's <paramref name="state"/>, and tracks none from then.</summary>
    public void FailAll(RpcEndpointState state)
    {
        KeyValuePair<PendingCall, long>[] calls;
        lock (_calls)
        {
            calls = [.. _calls];
            _calls.Clear();
        }

        foreach ((PendingCall call, long token) in calls)
        {
            call.FailInFlight(token, state);
        }
    }
}
