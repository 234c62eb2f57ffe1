namespace Toolkit.Rpc;

/// <summary>Picks the constructor that deserialization calls when a message type has several.</summary>
[AttributeUsage(AttributeTargets.Constructor, Inherited = false)]
public sealed class RpcConstructorAttribute : Attribute;
