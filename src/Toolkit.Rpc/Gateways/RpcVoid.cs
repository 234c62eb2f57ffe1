namespace Toolkit.Rpc.Gateways;

/// <summary>The result type of methods that return <c>Task</c>, <c>ValueTask</c> or <c>void</c>; it has no bytes on the wire.</summary>
public readonly struct RpcVoid;
