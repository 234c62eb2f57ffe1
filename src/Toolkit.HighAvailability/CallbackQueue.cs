using System.Threading.Channels;

namespace Toolkit.HighAvailability;

/// <summary>
/// Runs the HA services' callbacks to contenders and listeners one at a time, in the order they were queued, on a
/// thread of their own: a callback never runs under a provider's lock, nor concurrently with another.
/// </summary>
internal sealed class CallbackQueue : IAsyncDisposable
{
    private readonly Channel<Action> _work = Channel.CreateUnbounded<Action>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Action<Exception> _onError;
    private readonly Task _runner;

    public CallbackQueue(Action<Exception> onError)
    {
        _onError = onError;
        _runner = Task.Run(RunAsync);
    }

    public void Post(Action callback) => _work.Writer.TryWrite(callback);

    /// <summary>A task that completes when every callback queued before it has run.</summary>
    public Task DrainAsync()
    {
        TaskCompletionSource drained = new(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!_work.Writer.TryWrite(() => drained.TrySetResult()))
        {
            drained.TrySetResult();
        }

        return drained.Task;
    }

    public async ValueTask DisposeAsync()
    {
        _work.Writer.TryComplete();
        await _runner.ConfigureAwait(false);
    }

    private async Task RunAsync()
    {
        await foreach (Action callback in _work.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            try
            {
                callback();
            }
            catch (Exception exception)
            {
                _onError(exception);
            }
        }
    }
}
