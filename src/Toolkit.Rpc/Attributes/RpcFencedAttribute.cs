namespace Toolkit.Rpc;

/// <summary>
/// On a gateway interface: its calls are <em>fenced</em>. Each carries the caller's view of the leader epoch (attached
/// with <see cref="RpcGatewayExtensions.WithEpoch{TGateway}"/>), and the endpoint, a <see cref="FencedRpcEndpoint"/>,
/// runs it only when that epoch is its own current one; otherwise the caller gets an <see cref="RpcFencingException"/>.
/// A deposed leader's calls, and calls meant for a deposed leader, are so refused whatever the clocks say. Methods
/// marked <see cref="RpcUnfencedAttribute"/> are exempt.
/// </summary>
[AttributeUsage(AttributeTargets.Interface, Inherited = false)]
public sealed class RpcFencedAttribute : Attribute
{
}
