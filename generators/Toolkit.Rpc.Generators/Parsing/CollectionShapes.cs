using Microsoft.CodeAnalysis;
using Toolkit.Rpc.Generators.Model;

namespace Toolkit.Rpc.Generators.Parsing;

/// <summary>The shapes that hold other values: arrays, lists, sets, dictionaries, memory of bytes and <c>T?</c> of a struct.</summary>
internal static class CollectionShapes
{
    public static TypeModel? Array(ContractWalker walker, IArrayTypeSymbol array, string key, string path, Location? location)
    {
        if (array.Rank != 1)
        {
            return walker.Unsupported(path, SymbolNames.Display(array), "multi-dimensional arrays are not supported; use an array of arrays", location);
        }

        string? element = walker.TypeKey(array.ElementType, path + "[]", location);
        if (element is null)
        {
            return null;
        }

        TypeShape shape = walker.ModelOf(element) is { IsBlockCopyable: true } ? TypeShape.UnmanagedArray : TypeShape.Collection;
        return TypeClassifier.Model(array, key, shape, 4) with { Collection = CollectionKind.Array, ElementType = element };
    }

    public static TypeModel? Nullable(ContractWalker walker, INamedTypeSymbol nullable, string key, string path, Location? location)
    {
        ITypeSymbol underlying = nullable.TypeArguments[0];
        string? element = walker.TypeKey(underlying, path, location);
        if (element is null)
        {
            return null;
        }

        // No model yet means a struct still being walked (struct Node { List<Node?> Children }): an object, never raw.
        TypeModel? inner = walker.ModelOf(element);
        return inner?.Shape switch
        {
            TypeShape.Unmanaged => RawNullable(nullable, key, TypeShape.NullableUnmanaged, inner, element),
            TypeShape.DateTimeOffset => RawNullable(nullable, key, TypeShape.NullableDateTimeOffset, inner, element),
            _ => TypeClassifier.Model(nullable, key, TypeShape.NullableObject, 1) with { ElementType = element },
        };
    }

    /// <summary>A generic collection of <paramref name="kind"/>: a list, set or dictionary, or memory (of bytes only).</summary>
    public static TypeModel? GenericCollection(ContractWalker walker, INamedTypeSymbol named, CollectionKind kind, string key, string path, Location? location)
    {
        if (kind is CollectionKind.ReadOnlyMemory or CollectionKind.Memory)
        {
            return named.TypeArguments[0].SpecialType == SpecialType.System_Byte
                ? TypeClassifier.Model(named, key, TypeShape.Bytes, 4) with { Collection = kind }
                : walker.Unsupported(path, SymbolNames.Display(named), "only memory of bytes has a wire form; use an array", location);
        }

        if (kind is CollectionKind.Dictionary or CollectionKind.DictionaryInterface)
        {
            string? keyType = walker.TypeKey(named.TypeArguments[0], path + ".Keys[]", location);
            string? valueType = walker.TypeKey(named.TypeArguments[1], path + "[]", location);
            return keyType is null || valueType is null
                ? null
                : TypeClassifier.Model(named, key, TypeShape.Dictionary, 4) with
                {
                    Collection = kind,
                    ElementType = valueType,
                    KeyType = keyType,
                    RawEntry = RawTypes.EntryLayout(walker.ModelOf(keyType), walker.ModelOf(valueType)),
                };
        }

        string? element = walker.TypeKey(named.TypeArguments[0], path + "[]", location);
        return element is null
            ? null
            : TypeClassifier.Model(named, key, TypeShape.Collection, 4) with { Collection = kind, ElementType = element };
    }

    // Nullable<T>'s layout: raw like its value, and aligned as it.
    private static TypeModel RawNullable(INamedTypeSymbol nullable, string key, TypeShape shape, TypeModel value, string element) =>
        TypeClassifier.Model(nullable, key, shape, RawTypes.NullableSize(value)) with { ElementType = element, RawAlignment = value.RawAlignment };
}
