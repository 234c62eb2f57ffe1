using System.Collections.Generic;
using Toolkit.Rpc.Generators.Model;

namespace Toolkit.Rpc.Generators;

/// <summary>
/// The memory layout of the values that MemoryPack copies from memory (<see cref="System.Nullable{T}"/>, dictionary
/// entries of raw pairs), as 64-bit .NET lays them out: each part at a multiple of its alignment, the whole padded to
/// a multiple of its largest alignment. Toolkit writes the same bytes with zeros for padding.
/// </summary>
internal static class RawLayout
{
    /// <summary>Whether <paramref name="type"/> is raw bytes of a fixed layout: a number, enum, Guid, DateTimeOffset … or a nullable one.</summary>
    public static bool IsRaw(TypeModel type) =>
        type.Shape is TypeShape.Unmanaged or TypeShape.DateTimeOffset or TypeShape.NullableUnmanaged or TypeShape.NullableDateTimeOffset;

    /// <summary>The alignment of a raw type; a nullable's is its value's.</summary>
    public static int Alignment(TypeModel type, IReadOnlyDictionary<string, TypeModel> types) => type.Shape switch
    {
        TypeShape.DateTimeOffset or TypeShape.NullableDateTimeOffset => 8,
        TypeShape.NullableUnmanaged => Alignment(types[type.ElementType!], types),
        _ => UnmanagedAlignment(type.FullyQualifiedName, type.MinimumSize),
    };

    /// <summary>The size of <c>T?</c> for a raw <c>T</c>: a has-value byte padded to the value's alignment, then the value.</summary>
    public static int NullableSize(TypeModel value) => UnmanagedAlignment(value.FullyQualifiedName, value.MinimumSize) + value.MinimumSize;

    /// <summary>How many bytes of padding bring <paramref name="offset"/> up to a multiple of <paramref name="alignment"/>.</summary>
    public static int Padding(int offset, int alignment) => (alignment - (offset % alignment)) % alignment;

    // A raw value's alignment is its size up to 8, except Guid's (4: its largest field is an int) and Int128's (16).
    private static int UnmanagedAlignment(string fullyQualifiedName, int size) => fullyQualifiedName switch
    {
        "global::System.Guid" => 4,
        "global::System.Int128" or "global::System.UInt128" => 16,
        _ => size < 8 ? size : 8,
    };
}
