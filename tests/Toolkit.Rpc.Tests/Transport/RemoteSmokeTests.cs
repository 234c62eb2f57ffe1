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
}
