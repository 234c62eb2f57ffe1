namespace Toolkit.Rpc.Hosting;

/// <summary>An endpoint the host starts: its name, its class and how dependency injection makes it.</summary>
/// <param name="Name">The endpoint's name in the service.</param>
/// <param name="EndpointType">The endpoint's class, for messages.</param>
/// <param name="Create">Makes the endpoint from the host's services.</param>
internal sealed record RpcEndpointRegistration(string Name, Type EndpointType, Func<IServiceProvider, RpcEndpoint> Create);

/// <summary>The endpoints registered with <see cref="ToolkitRpcBuilder.AddEndpoint{TEndpoint}(string)"/>, in registration order.</summary>
internal sealed class RpcEndpointRegistrations
{
    public List<RpcEndpointRegistration> All { get; } = [];
}

/// <summary>A remote gateway registered with <see cref="ToolkitRpcBuilder.AddRemoteGateway{TGateway}(string)"/>: how to reach it, for the health check.</summary>
/// <param name="Gateway">The gateway interface, for messages.</param>
/// <param name="Address">Where the endpoint is, from the host's services.</param>
/// <param name="Connect">Connects to the endpoint and checks it serves a compatible gateway (<see cref="RpcService.ConnectAsync{TGateway}"/>).</param>
internal sealed record RpcRemoteRegistration(Type Gateway, Func<IServiceProvider, string> Address, Func<RpcService, string, CancellationToken, Task> Connect);

/// <summary>The remote gateways registered, in registration order.</summary>
internal sealed class RpcRemoteRegistrations
{
    public List<RpcRemoteRegistration> All { get; } = [];
}
