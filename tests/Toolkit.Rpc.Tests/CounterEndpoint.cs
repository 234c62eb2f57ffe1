using Toolkit.Rpc.Tests.Contracts;

namespace Toolkit.Rpc.Tests;

public sealed class CounterEndpoint : RpcEndpoint, ICounterGateway
{
    private long _count;

    public ValueTask<long> IncrementAsync(int by) => new(_count += by);

    public Task<long> GetAsync() => Task.FromResult(_count);

    public void Add(int by) => _count += by;

    public async Task<string> EchoAfterDelayAsync(string text, TimeSpan delay, TimeSpan timeout)
    {
        await Task.Delay(delay, TimeProvider);
        return text;
    }

    public Task WaitForCancellationAsync(CancellationToken cancellation) => Task.Delay(Timeout.Infinite, cancellation);

    public Task<int> ThrowAsync(string message) => throw new InvalidOperationException(message);

    public Task NeverCompletesAsync() => new TaskCompletionSource().Task;

    public async Task<bool> RunsOnMainThreadAfterAwaitAsync()
    {
        await Task.Yield();
        ValidateRunsInMainThread();
        return IsInMainThread;
    }
}
