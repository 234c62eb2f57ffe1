namespace Toolkit.Rpc.Transport;

/// <summary>A small list of waiters, all woken at once: for the rare slow paths of back-pressure.</summary>
internal sealed class WaitQueue
{
    private readonly Lock _lock = new();
    private List<TaskCompletionSource>? _waiters;

    public Task WaitAsync()
    {
        TaskCompletionSource waiter = new(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_lock)
        {
            (_waiters ??= []).Add(waiter);
        }

        return waiter.Task;
    }

    public void WakeAll()
    {
        if (Volatile.Read(ref _waiters) is null)
        {
            return;
        }

        List<TaskCompletionSource>? waiters;
        lock (_lock)
        {
            waiters = _waiters;
            _waiters = null;
        }

        waiters?.ForEach(static waiter => waiter.TrySetResult());
    }
}
