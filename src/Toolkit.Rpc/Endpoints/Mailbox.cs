using Toolkit.Rpc.Calls;

namespace Toolkit.Rpc;

/// <summary>
/// An endpoint's mailbox: the work queued for its main thread, and the turns that run it one item at a time, so
/// that the endpoint's code never runs concurrently. Calls that arrive while the endpoint starts wait here in order.
/// </summary>
internal sealed class Mailbox
{
    // Turns per scheduling before the runner yields its pool thread, so that a busy endpoint cannot starve others.
    private const int TurnsPerBatch = 256;

    // Producers append to _incoming under the lock; the main thread swaps it with the drained _draining list, so
    // it takes everything queued so far with one lock acquisition. Holding the lock also makes the tail of
    // _incoming exactly the last item queued, which lets consecutive one-way calls share one batch item.
    private readonly RpcEndpoint _endpoint;
    private readonly Lock _mailboxLock = new();
    private readonly MailboxRunner _runner;
    private readonly EndpointSynchronizationContext _synchronizationContext;
    private List<IMailboxItem> _incoming = [];
    private List<IMailboxItem> _draining = [];
    private int _drainIndex;
    private List<IMailboxItem>? _deferred;

    // True while the runner is queued or running (guarded by _mailboxLock): at most one turn at a time.
    private bool _scheduled;

    public Mailbox(RpcEndpoint endpoint)
    {
        _endpoint = endpoint;
        _runner = new MailboxRunner(this);
        _synchronizationContext = new EndpointSynchronizationContext(endpoint);
    }

    /// <summary>Queues <paramref name="item"/> for the main thread.</summary>
    /// <param name="item">The work.</param>
    /// <param name="callerAwaits">
    /// True when the caller awaits right after (an ask): the runner then goes to the caller's own pool queue, so
    /// the same thread picks it up without waking another core. False for one-way calls, whose caller keeps
    /// running: the runner must go where an idle thread takes it at once.
    /// </param>
    public void Enqueue(IMailboxItem item, bool callerAwaits = false)
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
            if (RpcEndpoint.CollectedRunners is { } collected)
            {
                collected.Add(_endpoint);
            }
            else
            {
                ThreadPool.UnsafeQueueUserWorkItem(_runner, preferLocal: callerAwaits);
            }
        }
    }

    /// <summary>Queues the runner to the pool, where an idle thread takes it.</summary>
    public void Queue() => ThreadPool.UnsafeQueueUserWorkItem(_runner, preferLocal: false);

    /// <summary>
    /// Queues a one-way call. When the last item queued is a batch of the same method that the main thread has not
    /// taken yet, the call joins it: no item per call, and no caller's order changes, because nothing was queued
    /// after that batch. Calls carrying different epochs go in different batches.
    /// </summary>
    public void EnqueueTell<TInvocation>(EndpointRuntime runtime, in TInvocation invocation, long epoch)
        where TInvocation : struct, IRpcInvocation<TInvocation, RpcVoid>
    {
        bool schedule;
        lock (_mailboxLock)
        {
            List<IMailboxItem> incoming = _incoming;
            if (incoming.Count > 0 && incoming[^1] is TellBatch<TInvocation> tail && tail.TryAdd(invocation, epoch))
            {
                return;
            }

            ItemPool<TellBatch<TInvocation>> pool = runtime.Pools.Get<TellBatch<TInvocation>>();
            TellBatch<TInvocation> batch = pool.Rent() ?? new TellBatch<TInvocation>(pool);
            batch.TryAdd(invocation, epoch);
            incoming.Add(batch);
            schedule = !_scheduled;
            _scheduled = true;
        }

        if (schedule)
        {
            ThreadPool.UnsafeQueueUserWorkItem(_runner, preferLocal: false);
        }
    }

    /// <summary>
    /// The items queued and not yet run (a batch of one-way calls counts as one), read for the mailbox gauge from any
    /// thread: what the main thread is draining is read without its lock, so the figure is a moment's estimate.
    /// </summary>
    public int Depth
    {
        get
        {
            int draining = Math.Max(0, Volatile.Read(ref _draining).Count - Volatile.Read(ref _drainIndex));
            lock (_mailboxLock)
            {
                return _incoming.Count + draining;
            }
        }
    }

    /// <summary>Whether nothing is queued for the main thread and no turn runs.</summary>
    public bool IsIdle
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

            return true;
        }
    }

    public void RunTurns()
    {
        SynchronizationContext? previousContext = SynchronizationContext.Current;
        SynchronizationContext.SetSynchronizationContext(_synchronizationContext);
        RpcEndpoint.Current = _endpoint;
        try
        {
            int budget = TurnsPerBatch;
            while (true)
            {
                List<IMailboxItem> draining = _draining;
                while (_drainIndex < draining.Count)
                {
                    IMailboxItem item = draining[_drainIndex];
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
            RpcEndpoint.Current = null;
            SynchronizationContext.SetSynchronizationContext(previousContext);
        }
    }

    private void RunTurn(IMailboxItem item)
    {
        RpcEndpointState state = _endpoint.State;
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
            item.Execute(_endpoint);
        }
        catch (Exception exception)
        {
            _endpoint.ReportUnhandled(exception);
        }
    }

    public void RunDeferredCalls()
    {
        List<IMailboxItem>? deferred = _deferred;
        _deferred = null;
        if (deferred is null)
        {
            return;
        }

        foreach (IMailboxItem item in deferred)
        {
            RunTurn(item);
        }
    }

    public void RejectDeferredCalls(RpcEndpointState state)
    {
        List<IMailboxItem>? deferred = _deferred;
        _deferred = null;
        foreach (IMailboxItem item in deferred ?? [])
        {
            RejectSafely(item, state);
        }
    }

    private void RejectSafely(IMailboxItem item, RpcEndpointState state)
    {
        try
        {
            item.Reject(_endpoint, state);
        }
        catch (Exception exception)
        {
            _endpoint.ReportUnhandled(exception);
        }
    }
}
