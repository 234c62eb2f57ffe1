namespace Toolkit.Rpc;

/// <summary>
/// Declares a case of a union on its abstract base: values of <see cref="Type"/> travel with <see cref="Tag"/>.
/// Tags are part of the contract: keep them stable, add new cases with new tags.
/// </summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Interface, AllowMultiple = true, Inherited = false)]
public sealed class RpcUnionAttribute : Attribute
{
    /// <summary>Declares that <paramref name="type"/> travels with <paramref name="tag"/> (0–65535).</summary>
    public RpcUnionAttribute(int tag, Type type)
    {
        Tag = tag;
        Type = type;
    }

    /// <summary>The case's stable tag.</summary>
    public int Tag { get; }

    /// <summary>The case's concrete type, deriving from the annotated base.</summary>
    public Type Type { get; }
}
