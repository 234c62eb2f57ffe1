namespace Toolkit.Rpc.Tests.Endpoints;

/// <summary>How a probe's gateway reaches its endpoint.</summary>
public enum CallPath
{
    /// <summary>In-process, arguments passed by reference.</summary>
    Direct,

    /// <summary>In-process through the generated serializers and dispatch table (SerializeLocalCalls).</summary>
    Serialized,

    /// <summary>From a client-mode service to a listening one over TCP on loopback.</summary>
    Remote,
}

/// <summary>A started service with one probe endpoint, and a gateway to it over the chosen path; disposed with the test.</summary>
public sealed class Probe : IAsyncDisposable
{
    private Probe(RpcService service, RpcService caller, ProbeEndpoint endpoint, IProbeGateway gateway, CallPath path)
    {
        Service = service;
        Caller = caller;
        Endpoint = endpoint;
        Gateway = gateway;
        Path = path;
    }

    /// <summary>The service hosting the probe endpoint.</summary>
    public RpcService Service { get; }

    /// <summary>The service the gateway calls from: <see cref="Service"/> itself, or a client-mode service for <see cref="CallPath.Remote"/>.</summary>
    public RpcService Caller { get; }

    public ProbeEndpoint Endpoint { get; }

    public IProbeGateway Gateway { get; }

    public CallPath Path { get; }

    /// <summary>How errors name the probe's address.</summary>
    public string SiteAddress => Path == CallPath.Remote ? $"rpc://{Service.Address}" : $"local service {Service.NodeId}";

    public static async Task<Probe> StartAsync(CallPath path = CallPath.Direct, TimeProvider? time = null, TimeSpan? defaultTimeout = null)
    {
        RpcServiceOptions Options(string? listen) => new()
        {
            SerializeLocalCalls = path == CallPath.Serialized,
            TimeProvider = time ?? TimeProvider.System,
            DefaultTimeout = defaultTimeout ?? TimeSpan.FromSeconds(10),
            Listen = listen,
        };

        RpcService service = await RpcService.StartAsync(Options(path == CallPath.Remote ? "127.0.0.1:0" : null));
        ProbeEndpoint endpoint = await service.StartEndpointAsync(new ProbeEndpoint(), "probe");
        if (path != CallPath.Remote)
        {
            return new Probe(service, service, endpoint, service.GetGateway<IProbeGateway>("probe"), path);
        }

        RpcService caller = await RpcService.StartAsync(Options(null));
        IProbeGateway gateway = await caller.ConnectAsync<IProbeGateway>($"rpc://{service.Address}/probe");
        return new Probe(service, caller, endpoint, gateway, path);
    }

    public async ValueTask DisposeAsync()
    {
        Endpoint.Block.Set();
        Endpoint.Hold.TrySetResult();
        if (!ReferenceEquals(Caller, Service))
        {
            await Caller.DisposeAsync();
        }

        await Service.DisposeAsync();
    }
}
