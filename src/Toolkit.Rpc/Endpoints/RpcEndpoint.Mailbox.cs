using Toolkit.Rpc.Calls;

namespace Toolkit.Rpc;

public abstract partial class RpcEndpoint
{
    [ThreadStatic]
#pragma warning disable IDE1006 // thread-static: t_
    private static RpcEndpoint? t_current;
#pragma warning restore IDE1006

    // Set by a connection's reader thread while it parses what it read: endpoints that a call made runnable are
    // collected here instead of queued, and the reader runs their turns itself once it has parsed the read.
    [ThreadStatic]
#pragma warning disable IDE1006 // thread-static: t_
    private static List<RpcEndpoint>? t_collectedRunners;
#pragma warning restore IDE1006

    private readonly Mailbox _mailbox;
    private readonly InFlightCalls _inFlight = new();

    /// <summary>Whether the calling thread is running some endpoint's turn.</summary>
    internal static bool OnAnyMainThread => t_current is not null;

    /// <summary>The endpoint whose turn the calling thread runs, if any; set by its mailbox.</summary>
    internal static RpcEndpoint? Current
    {
        get => t_current;
        set => t_current = value;
    }

    /// <summary>Where endpoints made runnable on this thread are collected instead of queued, if anywhere.</summary>
    internal static List<RpcEndpoint>? CollectedRunners => t_collectedRunners;

    /// <summary>The work queued for the main thread and not yet run, for the mailbox gauge.</summary>
    internal int MailboxDepth => _mailbox.Depth;

    /// <summary>Whether nothing is queued for the main thread, no turn runs, and no call awaits inside a method.</summary>
    internal bool IsIdle => _mailbox.IsIdle && _inFlight.IsEmpty;

    /// <summary>
    /// From now on, on this thread, endpoints made runnable are added to <paramref name="runners"/> rather than queued
    /// to the pool; the caller must then run each (<see cref="RunCollectedTurns"/>) or queue it (<see cref="QueueCollectedTurns"/>).
    /// </summary>
    internal static void CollectRunners(List<RpcEndpoint>? runners) => t_collectedRunners = runners;

    /// <inheritdoc cref="Mailbox.Enqueue"/>
    internal void Enqueue(IMailboxItem item, bool callerAwaits = false) => _mailbox.Enqueue(item, callerAwaits);

    /// <inheritdoc cref="Mailbox.EnqueueTell"/>
    internal void EnqueueTell<TInvocation>(EndpointRuntime runtime, in TInvocation invocation, long epoch)
        where TInvocation : struct, IRpcInvocation<TInvocation, RpcVoid> => _mailbox.EnqueueTell(runtime, invocation, epoch);

    /// <summary>Runs the turns of an endpoint collected by <see cref="CollectRunners"/> on this thread.</summary>
    internal void RunCollectedTurns() => _mailbox.RunTurns();

    /// <summary>Queues the turns of an endpoint collected by <see cref="CollectRunners"/> to the pool.</summary>
    internal void QueueCollectedTurns() => _mailbox.Queue();

    /// <summary>Tracks the use <paramref name="token"/> of <paramref name="call"/> until it finishes, so that stopping fails it.</summary>
    internal void TrackInFlight(PendingCall call, long token) => _inFlight.Track(call, token);

    internal void UntrackInFlight(PendingCall call) => _inFlight.Untrack(call);

    private void FailInFlightCalls() => _inFlight.FailAll(RpcEndpointState.Stopped);
}
