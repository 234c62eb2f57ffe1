namespace Toolkit.Rpc.Tests.Endpoints;

/// <summary>A fenced gateway: counting is fenced; asking and granting leadership (a test hook) are not.</summary>
[RpcGateway]
[RpcFenced]
public interface ILeaderGateway
{
    Task<long> IncrementAsync(int by);

    void Add(int by);

    [RpcUnfenced]
    Task<long> CountAsync();

    [RpcUnfenced]
    Task<long?> EpochAsync();

    [RpcUnfenced]
    Task GrantAsync(long? epoch);
}

/// <summary>A counter that only the current leader's callers may change.</summary>
public sealed class FencedLeader : FencedRpcEndpoint, ILeaderGateway
{
    private long _count;

    public Task<long> IncrementAsync(int by) => Task.FromResult(_count += by);

    public void Add(int by) => _count += by;

    public Task<long> CountAsync() => Task.FromResult(_count);

    public Task<long?> EpochAsync() => Task.FromResult(Epoch);

    public Task GrantAsync(long? epoch)
    {
        SetEpoch(epoch);
        return Task.CompletedTask;
    }
}
