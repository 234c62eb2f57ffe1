using Toolkit.Rpc.Tests.Endpoints;

namespace Toolkit.Rpc.Tests.Transport;

public sealed class RemoteSmokeTests
{
    [Fact]
    public async Task A_client_mode_service_calls_an_endpoint_of_a_listening_service()
    {
        await using RpcService server = await RpcService.StartAsync(new RpcServiceOptions { Listen = "127.0.0.1:0" });
        await server.StartEndpointAsync(new ProbeEndpoint(), "probe");
        await using RpcService client = await RpcService.StartAsync();

        IProbeGateway gateway = await client.ConnectAsync<IProbeGateway>($"rpc://{server.Address}/probe");

        Assert.Equal(5, await gateway.IncrementAsync(5));
        Assert.Equal(7, await gateway.IncrementAsync(2));
        gateway.Record(1);
        gateway.Record(2);
        Assert.Equal(new[] { 1, 2 }, await gateway.RecordedAsync());
        Assert.Equal("hi (1234 ms)", await gateway.EchoAsync("hi", TimeSpan.FromMilliseconds(1234)));
        RpcRemoteException error = await Assert.ThrowsAsync<RpcRemoteException>(() => gateway.ThrowAsync("boom"));
        Assert.Equal("boom", error.RemoteMessage);
    }

    [Fact]
    public async Task A_remote_gateway_made_before_its_server_runs_connects_on_the_first_call_after_the_server_starts()
    {
        int port = FreePort();
        await using RpcService client = await RpcService.StartAsync();
        IProbeGateway gateway = client.GetRemoteGateway<IProbeGateway>($"rpc://127.0.0.1:{port}/probe");

        RpcConnectionException down = await Assert.ThrowsAsync<RpcConnectionException>(async () => await gateway.IncrementAsync(1));
        Assert.Contains($"could not connect to rpc://127.0.0.1:{port}", down.Message, StringComparison.Ordinal);

        await using RpcService server = await RpcService.StartAsync(new RpcServiceOptions { Listen = $"127.0.0.1:{port}" });
        await server.StartEndpointAsync(new ProbeEndpoint(), "probe");
        Assert.Equal(3, await gateway.IncrementAsync(3));
        Assert.Equal($"rpc://127.0.0.1:{port}/probe", ((Rpc.Infrastructure.RpcProxy)(object)gateway).Target.Reference.ToString());
        Assert.Equal(server.NodeId, ((Rpc.Infrastructure.RpcProxy)(object)gateway).Target.Reference.NodeId);

        // The server resolves a reference to itself, by node id or by address, as its own endpoint.
        Assert.IsNotType<Rpc.Transport.RemoteRpcTarget>(((Rpc.Infrastructure.RpcProxy)(object)server.ResolveGateway<IProbeGateway>(new("", $"127.0.0.1:{port}", "probe"))).Target);
    }

    private static int FreePort()
    {
        using System.Net.Sockets.TcpListener listener = new(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}
