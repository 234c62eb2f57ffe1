namespace Toolkit.Rpc.Tests.Endpoints;

/// <summary>A started service with one probe endpoint, disposed with the test.</summary>
public sealed class Probe : IAsyncDisposable
{
    private Probe(RpcService service, ProbeEndpoint endpoint)
    {
        Service = service;
        Endpoint = endpoint;
        Gateway = service.GetGateway<IProbeGateway>("probe");
    }

    public RpcService Service { get; }

    public ProbeEndpoint Endpoint { get; }

    public IProbeGateway Gateway { get; }

    public static async Task<Probe> StartAsync(bool serialize = false, TimeProvider? time = null, TimeSpan? defaultTimeout = null)
    {
        RpcService service = await RpcService.StartAsync(new RpcServiceOptions
        {
            SerializeLocalCalls = serialize,
            TimeProvider = time ?? TimeProvider.System,
            DefaultTimeout = defaultTimeout ?? TimeSpan.FromSeconds(10),
        });
        ProbeEndpoint endpoint = await service.StartEndpointAsync(new ProbeEndpoint(), "probe");
        return new Probe(service, endpoint);
    }

    public async ValueTask DisposeAsync()
    {
        Endpoint.Block.Set();
        Endpoint.Hold.TrySetResult();
        await Service.DisposeAsync();
    }
}
