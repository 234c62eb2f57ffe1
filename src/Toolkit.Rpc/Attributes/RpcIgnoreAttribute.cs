namespace Toolkit.Rpc;

/// <summary>Leaves a property or field of a message out of its serialized form; it reads back as its default.</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field, Inherited = false)]
public sealed class RpcIgnoreAttribute : Attribute;
