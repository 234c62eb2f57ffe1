using Toolkit.Rpc.Tests.Contracts;

namespace Toolkit.Rpc.Tests;

public sealed class SmokeTests
{
    [Fact]
    public async Task A_local_call_reaches_the_endpoint()
    {
        await using RpcService rpc = await RpcService.StartAsync();
        await rpc.StartEndpointAsync(new CounterEndpoint(), "counter");
        ICounterGateway gateway = rpc.GetGateway<ICounterGateway>("counter");
        Assert.Equal(5, await gateway.IncrementAsync(5));
        Assert.Equal(5, await gateway.GetAsync());
    }
}
