using System.Collections.Concurrent;
using Toolkit.Rpc.Calls;

namespace Toolkit.Rpc;

public abstract partial class RpcEndpoint
{
    // Turns per scheduling before the runner yields its pool thread, so that a busy endpoint cannot starve others.
    private const int TurnsPerBatch = 256;

    [ThreadStatic]
    private static RpcEndpoint? t_current;

    private readonly ConcurrentQueue<MailboxItem> _queue = new();
    private readonly MailboxRunner _runner;
    private readonly EndpointSynchronizationContext _synchronizationContext;
    private readonly HashSet<PendingCall> _inFlight = [];
    private List<MailboxItem>? _deferred;

    // 1 while the runner is queued or running: guarantees at most one turn at a time.
    private int _scheduled;

    internal void Enqueue(MailboxItem item)
    {
        _queue.Enqueue(item);
        if (Volatile.Read(ref _scheduled) == 0 && Interlocked.CompareExchange(ref _scheduled, 1, 0) == 0)
        {
            // preferLocal: a caller on a pool thread usually awaits right after this, so the same thread picks
            // the runner up without waking another core.
            ThreadPool.UnsafeQueueUserWorkItem(_runner, preferLocal: true);
        }
    }

    internal void TrackInFlight(PendingCall call)
    {
        lock (_inFlight)
        {
            _inFlight.Add(call);
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
        PendingCall[] calls;
        lock (_inFlight)
        {
            calls = [.. _inFlight];
            _inFlight.Clear();
        }

        foreach (PendingCall call in calls)
        {
            call.FailInFlight(RpcEndpointState.Stopped);
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
                while (_queue.TryDequeue(out MailboxItem? item))
                {
                    RunTurn(item);
                    if (--budget == 0)
                    {
                        ThreadPool.UnsafeQueueUserWorkItem(_runner, preferLocal: false);
                        return;
                    }
                }

                // Full fence (not a plain write): an Enqueue that ran after the last TryDequeue saw _scheduled == 1
                // and did not schedule, so the queue must be read again after _scheduled is visibly 0.
                Interlocked.Exchange(ref _scheduled, 0);
                if (_queue.IsEmpty || Interlocked.CompareExchange(ref _scheduled, 1, 0) != 0)
                {
                    return;
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
