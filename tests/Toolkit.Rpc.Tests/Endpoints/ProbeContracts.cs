namespace Toolkit.Rpc.Tests.Endpoints;

/// <summary>A gateway that exercises each semantic of DESIGN §3 in-process.</summary>
[RpcGateway]
public interface IProbeGateway
{
    ValueTask<long> IncrementAsync(int by);

    Task<long> IncrementSlowlyAsync(int by);

    void Record(int value);

    Task<int[]> RecordedAsync();

    Task<bool> AwaitsThenChecksMainThreadAsync();

    Task HoldAsync();

    Task<int> BlockAsync();

    Task<int> ThrowAsync(string message);

    void ThrowOneWay(string message);

    [RpcTimeout(50)]
    Task NeverCompletesAsync();

    Task<bool> ObserveCancellationAsync(CancellationToken cancellation);

    Task<string> EchoAsync(string text, [RpcTimeout] TimeSpan timeout);

    Task<int> BounceAsync(IProbeGateway other, int remaining);

    ValueTask ResetAsync();
}

/// <summary>A gateway the probe endpoint does not implement.</summary>
[RpcGateway]
public interface IUnrelatedGateway
{
    Task NothingAsync();
}
