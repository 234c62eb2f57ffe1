namespace Toolkit.Rpc.Generators.Model;

/// <summary>How a type is laid out on the wire.</summary>
internal enum TypeShape
{
    /// <summary>Raw little-endian bytes (numbers, bool, char, enums, Guid, DateTime, TimeSpan, decimal …).</summary>
    Unmanaged,
    DateTimeOffset,
    String,
    /// <summary><c>T?</c> of a raw type: <see cref="System.Nullable{T}"/>'s layout.</summary>
    NullableUnmanaged,
    NullableDateTimeOffset,
    /// <summary><c>T?</c> of a struct with members: 255 for null, else the object.</summary>
    NullableObject,
    /// <summary>A record, class or struct with members: a member-count byte, then the members.</summary>
    Object,
    /// <summary>An abstract base or interface with <c>[RpcUnion]</c> cases: a tag, then the case as an object.</summary>
    Union,
    /// <summary>An array of raw values that have no invalid bit patterns: a length and one block copy.</summary>
    UnmanagedArray,
    /// <summary>Arrays, lists and sets: a length, then the elements.</summary>
    Collection,
    /// <summary>Dictionaries: a length, then key and value per entry.</summary>
    Dictionary,
    /// <summary><c>ReadOnlyMemory&lt;byte&gt;</c> or <c>Memory&lt;byte&gt;</c>: a length and the bytes.</summary>
    Bytes,
    /// <summary>A gateway passed inside a message: an endpoint reference.</summary>
    Gateway,
}

/// <summary>Which collection a <see cref="TypeShape.Collection"/> or <see cref="TypeShape.Dictionary"/> is.</summary>
internal enum CollectionKind
{
    None,
    Array,
    List,
    ListInterface,
    HashSet,
    Dictionary,
    DictionaryInterface,
    ReadOnlyMemory,
    Memory,
}

/// <summary>
/// A serialized type. Types refer to each other by <see cref="FullyQualifiedName"/>. <see cref="IsRecursive"/>
/// marks objects on a cycle of the type graph: only they can nest without bound, so only they count depth.
/// <see cref="EnumMembers"/> holds an enum's members as <c>Name = value</c> in declaration order (null for other
/// types), because renumbering an enum changes what its raw bytes mean.
/// </summary>
internal sealed record TypeModel(
    string FullyQualifiedName,
    string DisplayName,
    string Identifier,
    TypeShape Shape,
    bool IsValueType,
    int MinimumSize,
    CollectionKind Collection,
    string? ElementType,
    string? KeyType,
    EquatableArray<MemberModel> Members,
    EquatableArray<UnionCaseModel> Cases,
    bool IsRecursive = false,
    EquatableArray<string>? EnumMembers = null)
{
    /// <summary>Whether the emitter writes Write_/Read_ methods for the type (the other shapes are single calls).</summary>
    public bool HasMethods => Shape is TypeShape.Object or TypeShape.Union or TypeShape.Collection or TypeShape.Dictionary or TypeShape.NullableObject;
}

/// <summary>A member of an object, in wire order.</summary>
/// <param name="Name">The property or field.</param>
/// <param name="Type">The member's type.</param>
/// <param name="ConstructorPosition">Its position among the constructor's parameters, or -1 when it is set by an initializer.</param>
/// <param name="IsComputed">Neither settable nor a constructor parameter: written from its getter, skipped when read.</param>
internal sealed record MemberModel(string Name, string Type, int ConstructorPosition, bool IsComputed = false);

/// <summary>A union case.</summary>
internal sealed record UnionCaseModel(int Tag, string Type, int Depth);

/// <summary>An endpoint class and the gateways it implements.</summary>
internal sealed record EndpointModel(string FullyQualifiedName, EquatableArray<GatewayReference> Gateways);

/// <summary>A gateway an endpoint implements; <see cref="Local"/> when it is declared in the compilation being generated.</summary>
internal sealed record GatewayReference(string FullyQualifiedName, string Identifier, bool Local);
