using Toolkit.Rpc.Tests.Endpoints;

namespace Toolkit.Rpc.Tests.Contracts;

/// <summary>
/// Exception types a gateway declares with [RpcFault] reach the caller as themselves — remote, local, and local with
/// serialization forced — with their members and the remote stack; others stay <see cref="RpcRemoteException"/>.
/// </summary>
public sealed class FaultTests
{
    [Theory]
    [InlineData(CallPath.Remote)]
    [InlineData(CallPath.Direct)]
    [InlineData(CallPath.Serialized)]
    public async Task A_declared_fault_is_caught_by_its_type_with_its_members_and_the_remote_stack(CallPath path)
    {
        await using Rig rig = await Rig.StartAsync(path);

        Assert.Equal(1, await rig.Stock.OrderAsync("pen", 2));
        OutOfStockException error = await Assert.ThrowsAsync<OutOfStockException>(() => rig.Stock.OrderAsync("pen", 5));

        Assert.Equal(("pen", 1, "pen: only 1 left"), (error.Sku, error.Available, error.Message));
        Assert.Contains(nameof(StockEndpoint.OrderAsync), error.StackTrace, StringComparison.Ordinal);
        Assert.Contains(nameof(StockEndpoint), error.StackTrace, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(CallPath.Remote)]
    [InlineData(CallPath.Direct)]
    [InlineData(CallPath.Serialized)]
    public async Task A_fault_declared_on_the_gateway_applies_to_each_of_its_methods(CallPath path)
    {
        await using Rig rig = await Rig.StartAsync(path);

        RejectedException error = await Assert.ThrowsAsync<RejectedException>(() => rig.Stock.RejectAsync("closed on Sundays"));

        Assert.Equal("closed on Sundays", error.Message);
    }

    [Theory]
    [InlineData(CallPath.Remote)]
    [InlineData(CallPath.Direct)]
    [InlineData(CallPath.Serialized)]
    public async Task An_exception_no_contract_declares_stays_a_remote_exception(CallPath path)
    {
        await using Rig rig = await Rig.StartAsync(path);

        RpcRemoteException error = await Assert.ThrowsAsync<RpcRemoteException>(() => rig.Stock.FailAsync("boom"));

        Assert.Equal((typeof(InvalidOperationException).FullName, "boom"), (error.RemoteType, error.RemoteMessage));
    }

    [Fact]
    public void The_contract_lists_the_faults_of_each_method_and_their_types()
    {
        IReadOnlyList<string> contract = Rpc.Infrastructure.RpcGatewayRegistry.Get<IStockGateway>().Contract;

        Assert.Contains($"method OrderAsync(string, int) -> int throws {typeof(OutOfStockException).FullName}, {typeof(RejectedException).FullName}", contract);
        Assert.Contains($"method RejectAsync(string) -> void throws {typeof(RejectedException).FullName}", contract);
        Assert.Contains($"type {typeof(OutOfStockException).FullName}: object {{ Sku: string, Available: int }}", contract);
        Assert.Contains($"type {typeof(RejectedException).FullName}: object {{ Message: string }}", contract);
    }

    /// <summary>A stock endpoint and a gateway to it, over TCP between two services or within one.</summary>
    internal sealed class Rig : IAsyncDisposable
    {
        private readonly RpcService _server;
        private readonly RpcService? _client;

        private Rig(RpcService server, RpcService? client, IStockGateway stock)
        {
            _server = server;
            _client = client;
            Stock = stock;
        }

        public IStockGateway Stock { get; }

        public static async Task<Rig> StartAsync(CallPath path, int maxFrameSize = 0)
        {
            Rpc.RpcTransportOptions transport = maxFrameSize > 0 ? new() { MaxFrameSize = maxFrameSize } : new();
            RpcService server = await RpcService.StartAsync(new RpcServiceOptions
            {
                Listen = path == CallPath.Remote ? "127.0.0.1:0" : null,
                SerializeLocalCalls = path == CallPath.Serialized,
                Transport = transport,
            });
            await server.StartEndpointAsync(new StockEndpoint(), "stock");
            if (path != CallPath.Remote)
            {
                return new Rig(server, null, server.GetGateway<IStockGateway>("stock"));
            }

            RpcService client = await RpcService.StartAsync(new RpcServiceOptions { Transport = transport });
            return new Rig(server, client, await client.ConnectAsync<IStockGateway>($"rpc://{server.Address}/stock"));
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
