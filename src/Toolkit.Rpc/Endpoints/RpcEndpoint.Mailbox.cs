using Toolkit.Rpc.Calls;
using Toolkit.Rpc.Gateways;

namespace Toolkit.Rpc;

public abstract partial class RpcEndpoint
{
    // Turns per scheduling before the runner yields its pool thread, so that a busy endpoint cannot starve others.
    private const int TurnsPerBatch = 256;

    [ThreadStatic]
    private static RpcEndpoint? t_current;

    // Set by a connection's reader thread while it parses what it read: endpoints that a call made runnable are
    // collected here instead of queued, and the reader runs their turns itself once it has parsed the read.
    [ThreadStatic]
    private static List<RpcEndpoint>? t_collectedRunners;

    /// <summary>Whether the calling thread is running some endpoint's turn.</summary>
    internal static bool OnAnyMainThread => t_current is not null;

    // Producers append to _incoming under the lock; the main thread swaps it with the drained _draining list, so
    // it takes everything queued so far with one lock acquisition. Holding the lock also makes the tail of
    // _incoming exactly the last item queued, which lets consecutive one-way calls share one batch item.
    private readonly Lock _mailboxLock = new();
    private readonly MailboxRunner _runner;
    private readonly EndpointSynchronizationContext _synchronizationContext;
    private readonly Dictionary<PendingCall, long> _inFlight = [];
    private List<MailboxItem> _incoming = [];
    private List<MailboxItem> _draining = [];
    private int _drainIndex;
    private List<MailboxItem>? _deferred;

    // True while the runner is queued or running (guarded by _mailboxLock): at most one turn at a time.
    private bool _scheduled;

    /// <summary>Queues <paramref name="item"/> for the main thread.</summary>
    /// <param name="item">The work.</param>
    /// <param name="callerAwaits">
    /// True when the caller awaits right after (an ask): the runner then goes to the caller's own pool queue, so
    /// the same thread picks it up without waking another core. False for one-way calls, whose caller keeps
    /// running: the runner must go where an idle thread takes it at once.
    /// </param>
    internal void Enqueue(MailboxItem item, bool callerAwaits = false)
    {
        bool schedule;
        lock (_mailboxLock)
        {
            _incoming.Add(item);
            schedule = !_scheduled;
            _scheduled = true;
        }

        if (schedule)
        {
            if (t_collectedRunners is { } collected)
            {
                collected.Add(this);
            }
            else
            {
                ThreadPool.UnsafeQueueUserWorkItem(_runner, preferLocal: callerAwaits);
            }
        }
    }

    /// <summary>
    /// From now on, on this thread, endpoints made runnable are added to <paramref name="runners"/> rather than queued
    /// to the pool; the caller must then run each (<see cref="RunCollectedTurns"/>) or queue it (<see cref="QueueCollectedTurns"/>).
    /// </summary>
    internal static void CollectRunners(List<RpcEndpoint>? runners) => t_collectedRunners = runners;

    /// <summary>Runs the turns of an endpoint collected by <see cref="CollectRunners"/> on this thread.</summary>
    internal void RunCollectedTurns() => RunTurns();

    /// <summary>Queues the turns of an endpoint collected by <see cref="CollectRunners"/> to the pool.</summary>
    internal void QueueCollectedTurns() => ThreadPool.UnsafeQueueUserWorkItem(_runner, preferLocal: false);

    /// <summary>
    /// Queues a one-way call. When the last item queued is a batch of the same method that the main thread has not
    /// taken yet, the call joins it: no item per call, and no caller's order changes, because nothing was queued
    /// after that batch.
    /// </summary>
    internal void EnqueueTell<TInvocation>(RpcService service, in TInvocation invocation)
        where TInvocation : struct, IRpcInvocation<TInvocation, RpcVoid>
    {
        bool schedule;
        lock (_mailboxLock)
        {
            List<MailboxItem> incoming = _incoming;
            if (incoming.Count > 0 && incoming[^1] is TellBatch<TInvocation> tail && tail.TryAdd(invocation))
            {
                return;
            }

            ItemPool<TellBatch<TInvocation>> pool = service.Pools.Get<TellBatch<TInvocation>>();
            TellBatch<TInvocation> batch = pool.Rent() ?? new TellBatch<TInvocation>(pool);
            batch.TryAdd(invocation);
            incoming.Add(batch);
            schedule = !_scheduled;
            _scheduled = true;
        }

        if (schedule)
        {
            ThreadPool.UnsafeQueueUserWorkItem(_runner, preferLocal: false);
        }
    }

    /// <summary>Whether nothing is queued for the main thread, no turn runs, and no call awaits inside a method.</summary>
    internal bool IsIdle
    {
        get
        {
            lock (_mailboxLock)
            {
                if (_scheduled || _incoming.Count > 0)
                {
                    return false;
                }
            }

            lock (_inFlight)
            {
                return _inFlight.Count == 0;
            }
        }
    }

    /// <summary>Tracks the use <paramref name="token"/> of <paramref name="call"/> until it finishes, so that stopping fails it.</summary>
    internal void TrackInFlight(PendingCall call, long token)
    {
        lock (_inFlight)
        {
            _inFlight[call] = token;
        }
    }

    internal void UntrackInFlight(PendingCall call)
    {
        lock (_inFlight)
        {
            _inFlight.Remove(call);
        }
    }

    private void FailInFlightCalls()
    {
        KeyValuePair<PendingCall, long>[] calls;
        lock (_inFlight)
        {
            calls = [.. _inFlight];
            _inFlight.Clear();
        }

        foreach ((PendingCall call, long token) in calls)
        {
            call.FailInFlight(token, RpcEndpointState.Stopped);
        }
    }

    private void RunTurns()
    {
        SynchronizationContext? previousContext = SynchronizationContext.Current;
        SynchronizationContext.SetSynchronizationContext(_synchronizationContext);
        t_current = this;
        try
        {
            int budget = TurnsPerBatch;
            while (true)
            {
                List<MailboxItem> draining = _draining;
                while (_drainIndex < draining.Count)
                {
                    MailboxItem item = draining[_drainIndex];
                    draining[_drainIndex++] = null!;
                    RunTurn(item);
                    if (--budget == 0)
                    {
                        // Yield the pool thread; what is left in _draining runs first next time, keeping the order.
                        ThreadPool.UnsafeQueueUserWorkItem(_runner, preferLocal: false);
                        return;
                    }
                }

                draining.Clear();
                _drainIndex = 0;
                lock (_mailboxLock)
                {
                    if (_incoming.Count == 0)
                    {
                        _scheduled = false;
                        return;
                    }

                    _draining = _incoming;
                    _incoming = draining;
                }
            }
        }
        finally
        {
            t_current = null;
            SynchronizationContext.SetSynchronizationContext(previousContext);
        }
    }

    private void RunTurn(MailboxItem item)
    {
        RpcEndpointState state = State;
        if (item.Kind != MailboxItemKind.Continuation && state != RpcEndpointState.Running)
        {
            if (state == RpcEndpointState.Starting)
            {
                if (item.Kind == MailboxItemKind.Call)
                {
                    // OnStartAsync runs before any call: calls that arrive meanwhile wait, in order.
                    (_deferred ??= []).Add(item);
                    return;
                }
            }
            else
            {
                RejectSafely(item, state);
                return;
            }
        }

        try
        {
            item.Execute(this);
        }
        catch (Exception exception)
        {
            ReportUnhandled(exception);
        }
    }

    private void RunDeferredCalls()
    {
        List<MailboxItem>? deferred = _deferred;
        _deferred = null;
        if (deferred is null)
        {
            return;
        }

        foreach (MailboxItem item in deferred)
        {
            RunTurn(item);
        }
    }

    private void RejectDeferredCalls(RpcEndpointState state)
    {
        List<MailboxItem>? deferred = _deferred;
        _deferred = null;
        foreach (MailboxItem item in deferred ?? [])
        {
            RejectSafely(item, state);
        }
    }

    private void RejectSafely(MailboxItem item, RpcEndpointState state)
    {
        try
        {
            item.Reject(this, state);
        }
        catch (Exception exception)
        {
            ReportUnhandled(exception);
        }
    }

    private sealed class MailboxRunner(RpcEndpoint endpoint) : IThreadPoolWorkItem
    {
        public void Execute() => endpoint.RunTurns();
    }

    private sealed class EndpointSynchronizationContext(RpcEndpoint endpoint) : SynchronizationContext
    {
        public override void Post(SendOrPostCallback d, object? state) => endpoint.Enqueue(new PostedCallback(d, state));

        public override void Send(SendOrPostCallback d, object? state)
        {
            if (!endpoint.IsInMainThread)
            {
                throw new InvalidOperationException(
                    $"Send would block until endpoint '{endpoint.DisplayName}' runs the callback; use Post or RunAsync instead.");
            }

            d(state);
        }

        public override SynchronizationContext CreateCopy() => this;
    }

    private sealed class EndpointTaskScheduler(RpcEndpoint endpoint) : TaskScheduler
    {
        public override int MaximumConcurrencyLevel => 1;

        protected override void QueueTask(Task task) => endpoint.Enqueue(new ScheduledTask(TryExecuteTask, task));

        protected override bool TryExecuteTaskInline(Task task, bool taskWasPreviouslyQueued) =>
            endpoint.IsInMainThread && TryExecuteTask(task);

        protected override IEnumerable<Task>? GetScheduledTasks() => null;
    }
}
