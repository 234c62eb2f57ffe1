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

        TypeShape shape = RawTypes.IsBlockCopyable(walker.Known, array.ElementType) ? TypeShape.UnmanagedArray : TypeShape.Collection;
        return new TypeModel(key, SymbolNames.Display(array), Identifiers.FromKey(key), shape, false, 4, CollectionKind.Array, element, null, default, default);
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
        (TypeShape shape, int size) = inner?.Shape switch
        {
            TypeShape.Unmanaged => (TypeShape.NullableUnmanaged, RawLayout.NullableSize(inner!)),
            TypeShape.DateTimeOffset => (TypeShape.NullableDateTimeOffset, 8 + inner!.MinimumSize),
            _ => (TypeShape.NullableObject, 1),
        };
        return new TypeModel(key, SymbolNames.Display(nullable), Identifiers.FromKey(key), shape, true, size, CollectionKind.None, element, null, default, default);
    }

    /// <summary>A generic collection of <paramref name="kind"/>: a list, set or dictionary, or memory (of bytes only).</summary>
    public static TypeModel? GenericCollection(ContractWalker walker, INamedTypeSymbol named, CollectionKind kind, string key, string path, Location? location)
    {
        string display = SymbolNames.Display(named);
        if (kind is CollectionKind.ReadOnlyMemory or CollectionKind.Memory)
        {
            return named.TypeArguments[0].SpecialType == SpecialType.System_Byte
                ? new TypeModel(key, display, Identifiers.FromKey(key), TypeShape.Bytes, true, 4, kind, null, null, default, default)
                : walker.Unsupported(path, display, "only memory of bytes has a wire form; use an array", location);
        }

        if (kind is CollectionKind.Dictionary or CollectionKind.DictionaryInterface)
        {
            string? keyType = walker.TypeKey(named.TypeArguments[0], path + ".Keys[]", location);
            string? valueType = walker.TypeKey(named.TypeArguments[1], path + "[]", location);
            return keyType is null || valueType is null
                ? null
                : new TypeModel(key, display, Identifiers.FromKey(key), TypeShape.Dictionary, false, 4, kind, valueType, keyType, default, default);
        }

        string? element = walker.TypeKey(named.TypeArguments[0], path + "[]", location);
        return element is null
            ? null
            : new TypeModel(key, display, Identifiers.FromKey(key), TypeShape.Collection, false, 4, kind, element, null, default, default);
    }
}
