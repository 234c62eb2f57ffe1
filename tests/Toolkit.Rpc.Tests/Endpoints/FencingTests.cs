namespace Toolkit.Rpc.Tests.Endpoints;

/// <summary>
/// Fenced endpoints: a call of a fenced method runs only when the epoch it carries is the endpoint's current one —
/// remote, local, and local with serialization forced; one-way calls with a stale epoch are dropped, unfenced methods
/// need no epoch, and the refusal names both epochs.
/// </summary>
public sealed class FencingTests
{
    [Theory]
    [InlineData(CallPath.Remote)]
    [InlineData(CallPath.Direct)]
    [InlineData(CallPath.Serialized)]
    public async Task A_call_with_the_current_epoch_runs_and_one_with_another_or_none_is_refused_naming_both(CallPath path)
    {
        await using Rig rig = await Rig.StartAsync(path);
        await rig.Leader.GrantAsync(7);

        Assert.Equal(2, await rig.Leader.WithEpoch(7).IncrementAsync(2));

        RpcFencingException stale = await Assert.ThrowsAsync<RpcFencingException>(() => rig.Leader.WithEpoch(6).IncrementAsync(100));
        Assert.Equal((6L, 7L), (stale.CallEpoch, stale.EndpointEpoch));
        Assert.Contains("carries epoch 6 but the endpoint leads in epoch 7", stale.Message, StringComparison.Ordinal);
        Assert.Contains("ILeaderGateway.IncrementAsync", stale.Message, StringComparison.Ordinal);

        RpcFencingException none = await Assert.ThrowsAsync<RpcFencingException>(() => rig.Leader.IncrementAsync(100));
        Assert.Equal((null, 7L), (none.CallEpoch, none.EndpointEpoch));
        Assert.Contains("WithEpoch", none.Message, StringComparison.Ordinal);

        Assert.Equal(2, await rig.Leader.CountAsync());
    }

    [Theory]
    [InlineData(CallPath.Remote)]
    [InlineData(CallPath.Direct)]
    [InlineData(CallPath.Serialized)]
    public async Task After_leadership_is_revoked_every_fenced_call_is_refused_and_unfenced_ones_still_run(CallPath path)
    {
        await using Rig rig = await Rig.StartAsync(path);
        ILeaderGateway leader = rig.Leader.WithEpoch(3);
        await rig.Leader.GrantAsync(3);
        Assert.Equal(1, await leader.IncrementAsync(1));

        await rig.Leader.GrantAsync(null);

        RpcFencingException refused = await Assert.ThrowsAsync<RpcFencingException>(() => leader.IncrementAsync(1));
        Assert.Equal((3L, (long?)null), (refused.CallEpoch, refused.EndpointEpoch));
        Assert.Contains("is not the leader", refused.Message, StringComparison.Ordinal);
        Assert.Null(await leader.EpochAsync());

        await rig.Leader.GrantAsync(4);
        Assert.Equal(11, await rig.Leader.WithEpoch(4).IncrementAsync(10));
    }

    [Theory]
    [InlineData(CallPath.Remote)]
    [InlineData(CallPath.Direct)]
    [InlineData(CallPath.Serialized)]
    public async Task One_way_calls_run_only_with_the_current_epoch_however_they_interleave(CallPath path)
    {
        await using Rig rig = await Rig.StartAsync(path);
        await rig.Leader.GrantAsync(7);
        ILeaderGateway current = rig.Leader.WithEpoch(7);
        ILeaderGateway stale = rig.Leader.WithEpoch(6);

        for (int i = 0; i < 100; i++)
        {
            current.Add(1);
            stale.Add(1_000);
            rig.Leader.Add(1_000_000);
        }

        // Calls on one connection, and into one mailbox, keep their order: the count is read after every Add ran.
        Assert.Equal(100, await current.CountAsync());
    }

    [Fact]
    public void The_generator_fences_the_methods_of_a_fenced_gateway_except_the_unfenced_ones()
    {
        IEnumerable<string> fenced = Rpc.Infrastructure.RpcGatewayRegistry.Get<ILeaderGateway>().Methods.Where(method => method.IsFenced).Select(method => method.Name);

        Assert.Equal(["Add", "IncrementAsync"], fenced.Order(StringComparer.Ordinal));
        Assert.DoesNotContain(Rpc.Infrastructure.RpcGatewayRegistry.Get<IProbeGateway>().Methods, method => method.IsFenced);
    }

    [Fact]
    public async Task WithEpoch_returns_a_new_gateway_and_leaves_the_original_without_one()
    {
        await using Rig rig = await Rig.StartAsync(CallPath.Remote);

        ILeaderGateway fenced = rig.Leader.WithEpoch(42);

        Assert.Equal(42, fenced.GetEpoch());
        Assert.Null(rig.Leader.GetEpoch());
        Assert.Equal(43, fenced.WithEpoch(43).GetEpoch());
        Assert.Throws<ArgumentOutOfRangeException>(() => rig.Leader.WithEpoch(long.MinValue));
        ArgumentException notOurs = Assert.Throws<ArgumentException>(() => new HandMade().WithEpoch(1));
        Assert.Contains("is not a gateway made by Toolkit", notOurs.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SetEpoch_runs_only_on_the_main_thread()
    {
        await using RpcService service = await RpcService.StartAsync(new RpcServiceOptions());
        OffThread endpoint = new();
        await service.StartEndpointAsync(endpoint, "leader");

        InvalidOperationException error = Assert.Throws<InvalidOperationException>(() => endpoint.Grant(1));

        Assert.Contains("must run on the main thread", error.Message, StringComparison.Ordinal);
        await endpoint.RunAsync(() => endpoint.Grant(1));
        Assert.Equal(1, await endpoint.CallAsync(() => endpoint.Epoch, TimeSpan.FromSeconds(10)));
    }

    private sealed class HandMade : ILeaderGateway
    {
        public Task<long> IncrementAsync(int by) => Task.FromResult(0L);

        public void Add(int by)
        {
        }

        public Task<long> CountAsync() => Task.FromResult(0L);

        public Task<long?> EpochAsync() => Task.FromResult<long?>(null);

        public Task GrantAsync(long? epoch) => Task.CompletedTask;
    }

    private sealed class OffThread : FencedRpcEndpoint
    {
        public void Grant(long epoch) => SetEpoch(epoch);
    }

    /// <summary>A fenced leader and a gateway to it without an epoch, over TCP between two services or within one.</summary>
    private sealed class Rig : IAsyncDisposable
    {
        private readonly RpcService _server;
        private readonly RpcService? _client;

        private Rig(RpcService server, RpcService? client, ILeaderGateway leader)
        {
            _server = server;
            _client = client;
            Leader = leader;
        }

        public ILeaderGateway Leader { get; }

        public static async Task<Rig> StartAsync(CallPath path)
        {
            RpcService server = await RpcService.StartAsync(new RpcServiceOptions
            {
                Listen = path == CallPath.Remote ? "127.0.0.1:0" : null,
                SerializeLocalCalls = path == CallPath.Serialized,
            });
            await server.StartEndpointAsync(new FencedLeader(), "leader");
            if (path != CallPath.Remote)
            {
#pragma warning disable TK1010 // the tests attach epochs per call, and test calls without one
                return new Rig(server, null, server.GetGateway<ILeaderGateway>("leader"));
            }

            RpcService client = await RpcService.StartAsync(new RpcServiceOptions());
            return new Rig(server, client, await client.ConnectAsync<ILeaderGateway>($"rpc://{server.Address}/leader"));
#pragma warning restore TK1010
        }

        public async ValueTask DisposeAsync()
        {
            if (_client is not null)
            {
                await _client.DisposeAsync();
            }

            await _server.DisposeAsync();
        }
    }
}
