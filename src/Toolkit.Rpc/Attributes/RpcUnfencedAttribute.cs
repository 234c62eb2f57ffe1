namespace Toolkit.Rpc;

/// <summary>
/// On a method of an <see cref="RpcFencedAttribute"/> gateway: the method runs whatever epoch its call carries, or
/// none, as Flink's unfenced messages do — for what a caller must reach before it knows the epoch (registration,
/// "who leads"), or what is harmless from a stale leader.
/// </summary>
[AttributeUsage(AttributeTargets.Method, Inherited = false)]
public sealed class RpcUnfencedAttribute : Attribute
{
}
