namespace Toolkit.Rpc.Tests.Contracts;

[RpcGateway]
public interface ICounterGateway
{
    ValueTask<long> IncrementAsync(int by);

    Task<long> GetAsync();

    void Add(int by);

    Task<string> EchoAfterDelayAsync(string text, TimeSpan delay, [RpcTimeout] TimeSpan timeout);

    Task WaitForCancellationAsync(CancellationToken cancellation);

    Task<int> ThrowAsync(string message);

    [RpcTimeout(50)]
    Task NeverCompletesAsync();

    Task<bool> RunsOnMainThreadAfterAwaitAsync();
}

public sealed record Ping(long Id, int Slot, bool Urgent);
