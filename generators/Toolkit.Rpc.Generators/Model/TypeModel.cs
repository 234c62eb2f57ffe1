namespace Toolkit.Rpc.Generators.Model;

/// <summary>A serialized type. Types refer to each other by <see cref="FullyQualifiedName"/>.</summary>
internal sealed record TypeModel
{
    /// <summary>The key other models refer to it by, and how generated code names it: <c>global::</c>-qualified.</summary>
    public required string FullyQualifiedName { get; init; }

    /// <summary>As C# shows it, for the messages of generated code.</summary>
    public required string DisplayName { get; init; }

    /// <summary>A C# identifier unique to the type, for the names of its generated methods.</summary>
    public required string Identifier { get; init; }

    public required TypeShape Shape { get; init; }

    public required bool IsValueType { get; init; }

    /// <summary>The fewest bytes a value takes on the wire; a raw type's exact size.</summary>
    public required int MinimumSize { get; init; }

    public CollectionKind Collection { get; init; }

    /// <summary>The key of a collection's element type, a dictionary's value type or a nullable's underlying type.</summary>
    public string? ElementType { get; init; }

    /// <summary>The key of a dictionary's key type.</summary>
    public string? KeyType { get; init; }

    /// <summary>An object's members, in wire order.</summary>
    public EquatableArray<MemberModel> Members { get; init; }

    /// <summary>A union's cases, by tag.</summary>
    public EquatableArray<UnionCaseModel> Cases { get; init; }

    /// <summary>Whether an object is on a cycle of the type graph: only such objects nest without bound, so only they count depth.</summary>
    public bool IsRecursive { get; init; }

    /// <summary>
    /// The alignment .NET gives a raw type (<see cref="TypeShape.Unmanaged"/>, DateTimeOffset and nullables of them) on
    /// 64-bit, which MemoryPack's copies of memory keep; null for the other shapes.
    /// </summary>
    public int? RawAlignment { get; init; }

    /// <summary>A raw type whose every bit pattern is valid, so arrays and lists of it are copied in one block without checks.</summary>
    public bool IsBlockCopyable { get; init; }

    /// <summary>The encoded size of an object whose members are all raw values; null when it varies.</summary>
    public int? FixedSize { get; init; }

    /// <summary>The entry layout of a dictionary whose keys and values are both raw; null for the other dictionaries.</summary>
    public RawEntryLayout? RawEntry { get; init; }

    /// <summary>An enum's members as <c>Name = value</c> in declaration order, because renumbering one changes what its raw bytes mean; null for other types.</summary>
    public EquatableArray<string>? EnumMembers { get; init; }
}
