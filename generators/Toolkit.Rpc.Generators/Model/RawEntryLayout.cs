namespace Toolkit.Rpc.Generators.Model;

/// <summary>
/// A dictionary entry of two raw types as MemoryPack copies it from memory: <c>KeyValuePair</c>'s 64-bit layout,
/// with zeros for its padding.
/// </summary>
internal sealed record RawEntryLayout
{
    /// <summary>The bytes between the key and the value, which starts at a multiple of its alignment.</summary>
    public required int KeyPadding { get; init; }

    /// <summary>The bytes after the value, up to a multiple of the larger alignment.</summary>
    public required int ValuePadding { get; init; }

    /// <summary>The size of an entry, padding included.</summary>
    public required int Size { get; init; }
}
