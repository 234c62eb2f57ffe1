using Microsoft.Extensions.Logging;
using Toolkit.Rpc.Calls;
using Toolkit.Rpc.Observability;

namespace Toolkit.Rpc;

/// <summary>
/// What endpoints and their calls need of the service that hosts them — its identity, options, clock, logging, call
/// tracker and pools — so that they never reach up to the service itself.
/// </summary>
/// <param name="options">The service's options.</param>
/// <param name="nodeId">The service's node id.</param>
/// <param name="owner">The service, which resolves gateways inside messages and is what <see cref="RpcEndpoint.Service"/> returns.</param>
/// <param name="stopEndpoint">Stops an endpoint of the service, as <see cref="RpcEndpoint.StopAsync()"/> asks.</param>
internal sealed class EndpointRuntime(RpcServiceOptions options, string nodeId, RpcSerializationContext owner, Func<RpcEndpoint, Task> stopEndpoint)
{
    public RpcServiceOptions Options { get; } = options;

    public string NodeId { get; } = nodeId;

    /// <summary>The service's listen address (<c>host:port</c>), once it listens; null in client mode.</summary>
    public string? Address { get; set; }

    /// <summary>How errors name the service: <c>rpc://host:port</c>, or a local service by node id.</summary>
    public string DisplayAddress => Address is { } address ? $"rpc://{address}" : $"local service {NodeId}";

    public TimeProvider TimeProvider => Options.TimeProvider;

    public ILoggerFactory LoggerFactory => Options.LoggerFactory;

    public CallTracker Tracker { get; } = new(options.TimeProvider, options.TimeoutCheckInterval);

    public ItemPools Pools { get; } = new();

    /// <summary>The service's metrics; docs/observability.md lists them.</summary>
    public RpcInstruments Instruments { get; } = new(options.MeterFactory);

    /// <summary>The context messages are written and read with in the service: gateways inside them resolve through it.</summary>
    public RpcSerializationContext SerializationContext { get; } = owner;

    public Task StopEndpointAsync(RpcEndpoint endpoint) => stopEndpoint(endpoint);
}
