namespace Toolkit.Rpc.Calls;

/// <summary>Work handed to an endpoint's main thread with <c>RunAsync</c> or <c>CallAsync</c>, optionally with a timeout.</summary>
internal sealed class CallbackCall<T> : PendingCall, IMailboxItem
{
    private Func<Task<T>>? _work; // until it runs: the call tracker keeps a finished call until its next sweep
    private readonly TaskCompletionSource<T> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly RpcEndpoint _endpoint;
    private readonly TimeSpan _timeout;

    public CallbackCall(RpcEndpoint endpoint, Func<Task<T>> work, TimeSpan timeout)
    {
        _endpoint = endpoint;
        _work = work;
        _timeout = timeout;
    }

    public MailboxItemKind Kind => MailboxItemKind.Internal;

    public Task<T> Task => _completion.Task;

    protected override bool IsPooled => false;

    public void Start(EndpointRuntime service)
    {
        BeginTracking(service.Tracker.DeadlineAfter(_timeout));
        if (_timeout != Timeout.InfiniteTimeSpan)
        {
            service.Tracker.Add(this);
        }

        _endpoint.Enqueue(this);
    }

    public void Execute(RpcEndpoint endpoint)
    {
        Func<Task<T>> work = _work!;
        _work = null;
        if (!IsPending(Token))
        {
            return;
        }

        Task<T> running;
        try
        {
            running = work();
        }
        catch (Exception exception)
        {
            running = System.Threading.Tasks.Task.FromException<T>(exception);
        }

        if (running.IsCompleted)
        {
            Finish(running);
        }
        else
        {
            running.ContinueWith(static (task, state) => ((CallbackCall<T>)state!).Finish(task), this, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }
    }

    public void Reject(RpcEndpoint endpoint, RpcEndpointState state)
    {
        if (TryComplete(Token))
        {
            _completion.TrySetException(new RpcEndpointUnavailableException(endpoint.DisplayName, state));
        }
    }

    protected internal override void OnTimedOut() => _completion.TrySetException(
        new RpcTimeoutException($"Work sent to endpoint '{_endpoint.DisplayName}' with CallAsync did not complete within {_timeout.TotalMilliseconds:0.###} ms.", _timeout));

    private void Finish(Task<T> task)
    {
        if (!TryComplete(Token))
        {
            return;
        }

        if (task.IsCompletedSuccessfully)
        {
            _completion.TrySetResult(task.Result);
        }
        else if (task.IsCanceled)
        {
            _completion.TrySetCanceled();
        }
        else
        {
            _completion.TrySetException(task.Exception!.InnerExceptions);
        }
    }
}
