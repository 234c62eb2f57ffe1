namespace Toolkit.Rpc.Generators.Model;

/// <summary>Which collection a <see cref="TypeShape.Collection"/>, <see cref="TypeShape.Dictionary"/> or <see cref="TypeShape.Bytes"/> is.</summary>
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
