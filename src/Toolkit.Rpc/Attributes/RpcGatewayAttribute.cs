namespace Toolkit.Rpc;

/// <summary>
/// Marks an interface as a remote-callable contract. The generator emits a proxy, a dispatch table and
/// serializers for every type reachable from its methods. Methods return <c>Task</c>, <c>Task&lt;T&gt;</c>,
/// <c>ValueTask</c>, <c>ValueTask&lt;T&gt;</c> (request/response) or <c>void</c> (one-way).
/// </summary>
[AttributeUsage(AttributeTargets.Interface, Inherited = false)]
public sealed class RpcGatewayAttribute : Attribute;
