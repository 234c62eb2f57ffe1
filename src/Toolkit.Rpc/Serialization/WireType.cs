namespace Toolkit.Rpc.Serialization;

/// <summary>One type of a contract, parsed from its line.</summary>
/// <param name="Name">The type's full name, as contracts write it.</param>
/// <param name="Line">The line's text after the name, for messages.</param>
/// <param name="Kind">Its layout.</param>
/// <param name="Size">Raw and enum types: their size in bytes.</param>
/// <param name="Element">Nullable, arrays and collections: the element type; dictionaries: the value type.</param>
/// <param name="Key">Dictionaries: the key type.</param>
/// <param name="Members">Objects and structs: <c>(name, type)</c> in wire order; enums: <c>(name, value)</c>.</param>
/// <param name="Cases">Unions: <c>(tag, type)</c>.</param>
internal sealed record WireType(
    string Name,
    string Line,
    WireKind Kind,
    int Size = 0,
    string? Element = null,
    string? Key = null,
    (string Name, string Type)[]? Members = null,
    (int Tag, string Type)[]? Cases = null);
