namespace Toolkit.Rpc.Calls;

/// <summary>Work scheduled with <c>ScheduleRunAsync</c>: a timer from the service's clock that, when due, queues the work on the main thread.</summary>
internal sealed class ScheduledRun : IMailboxItem
{
    private readonly RpcEndpoint _endpoint;
    private readonly Func<Task> _action;
    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private ITimer? _timer;
    private CancellationTokenRegistration _cancellation;

    public ScheduledRun(RpcEndpoint endpoint, Func<Task> action)
    {
        _endpoint = endpoint;
        _action = action;
    }

    public MailboxItemKind Kind => MailboxItemKind.Internal;

    public Task Task => _completion.Task;

    public void Arm(TimeProvider time, TimeSpan delay, CancellationToken cancellation)
    {
        if (cancellation.CanBeCanceled)
        {
            _cancellation = cancellation.UnsafeRegister(static state => ((ScheduledRun)state!).Cancel(), this);
        }

        ITimer timer = time.CreateTimer(static state => ((ScheduledRun)state!).OnDue(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        // A full fence between publishing the timer and reading the completion: either Cancel sees the timer and
        // disposes it, or we see the cancellation (also one that ran synchronously in UnsafeRegister) and do.
        Interlocked.Exchange(ref _timer, timer);
        if (_completion.Task.IsCompleted)
        {
            timer.Dispose();
            return;
        }

        // Started only after _timer is set, so that a zero delay cannot fire before the run can be cancelled.
        timer.Change(delay, Timeout.InfiniteTimeSpan);
    }

    public void Cancel()
    {
        if (_completion.TrySetCanceled())
        {
            Dispose();
        }
    }

    public void Execute(RpcEndpoint endpoint)
    {
        if (_completion.Task.IsCompleted)
        {
            return;
        }

        Task running;
        try
        {
            running = _action();
        }
        catch (Exception exception)
        {
            running = Task.FromException(exception);
        }

        running.ContinueWith(
            static (task, state) => ((ScheduledRun)state!).Finish(task),
            this,
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
    }

    public void Reject(RpcEndpoint endpoint, RpcEndpointState state) => Cancel();

    private void OnDue()
    {
        if (!_completion.Task.IsCompleted)
        {
            _endpoint.Enqueue(this);
        }
    }

    private void Finish(Task task)
    {
        Dispose();
        if (task.IsCompletedSuccessfully)
        {
            _completion.TrySetResult();
        }
        else if (task.IsCanceled)
        {
            _completion.TrySetCanceled();
        }
        else
        {
            _endpoint.ReportScheduledRunFailure(task.Exception!.GetBaseException());
            _completion.TrySetException(task.Exception!.InnerExceptions);
        }
    }

    private void Dispose()
    {
        _cancellation.Unregister();
        _timer?.Dispose();
        _endpoint.ForgetScheduledRun(this);
    }
}
