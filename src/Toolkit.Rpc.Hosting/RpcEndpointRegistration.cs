namespace Toolkit.Rpc.Hosting;

/// <summary>An endpoint the host starts: its name, its class and how dependency injection makes it.</summary>
/// <param name="Name">The endpoint's name in the service.</param>
/// <param name="EndpointType">The endpoint's class, for messages.</param>
/// <param name="Create">Makes the endpoint from the host's services.</param>
internal sealed record RpcEndpointRegistration(string Name, Type EndpointType, Func<IServiceProvider, RpcEndpoint> Create);
