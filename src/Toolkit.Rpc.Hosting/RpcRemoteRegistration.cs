namespace Toolkit.Rpc.Hosting;

/// <summary>A remote gateway registered with <see cref="ToolkitRpcBuilder.AddRemoteGateway{TGateway}(string)"/>: how to reach it, for the health check.</summary>
/// <param name="Gateway">The gateway interface, for messages.</param>
/// <param name="Address">Where the endpoint is, from the host's services.</param>
/// <param name="Connect">Connects to the endpoint and checks it serves a compatible gateway (<see cref="RpcService.ConnectAsync{TGateway}"/>).</param>
internal sealed record RpcRemoteRegistration(Type Gateway, Func<IServiceProvider, string> Address, Func<RpcService, string, CancellationToken, Task> Connect);
