namespace Toolkit.Rpc.Serialization;

/// <summary>How a type is laid out on the wire, as a contract's <c>type</c> line says.</summary>
internal enum WireKind
{
    /// <summary>A shape this build does not know (a newer peer's): compared as text, never skipped.</summary>
    Unknown,
    Raw,
    Enum,
    DateTimeOffset,
    String,
    Nullable,
    Object,
    Struct,
    Union,
    BlockArray,
    Collection,
    Dictionary,
    Bytes,
    Gateway,
}
