using System.Linq;
using Microsoft.CodeAnalysis;
using Toolkit.Rpc.Generators.Model;

namespace Toolkit.Rpc.Generators.Parsing;

/// <summary>Decides a type's wire shape, or why it has none, and hands composite shapes to their own rules.</summary>
internal static class TypeClassifier
{
    public static TypeModel? Classify(ContractWalker walker, ITypeSymbol type, string key, string path, Location? location)
    {
        string display = SymbolNames.Display(type);
        if (RawTypes.Size(walker.Known, type) is int size)
        {
            return Model(type, key, TypeShape.Unmanaged, size) with
            {
                RawAlignment = RawTypes.Alignment(walker.Known, type, size),
                IsBlockCopyable = RawTypes.IsBlockCopyable(walker.Known, type),
                EnumMembers = type.TypeKind == TypeKind.Enum ? RawTypes.EnumMembers(type) : null,
            };
        }

        switch (type.SpecialType)
        {
            case SpecialType.System_String:
                return Model(type, key, TypeShape.String, 4);
            case SpecialType.System_Object:
                return walker.Unsupported(path, display, "object has no fixed shape; use a concrete type or a union", location);
            case SpecialType.System_IntPtr:
            case SpecialType.System_UIntPtr:
                return walker.Unsupported(path, display, "its size depends on the platform; use int or long", location);
        }

        switch (type)
        {
            case IArrayTypeSymbol array:
                return CollectionShapes.Array(walker, array, key, path, location);
            case IPointerTypeSymbol or IFunctionPointerTypeSymbol:
                return walker.Unsupported(path, display, "pointers only mean something inside one process", location);
            case ITypeParameterSymbol:
                return walker.Unsupported(path, display, "type parameters are not known until run time; use a concrete type", location);
            case IDynamicTypeSymbol:
                return walker.Unsupported(path, display, "dynamic has no fixed shape", location);
        }

        if (type is not INamedTypeSymbol named)
        {
            return walker.Unsupported(path, display, "it is not a named type", location);
        }

        if (KnownTypeSymbols.Is(named, walker.Known.DateTimeOffset))
        {
            return Model(type, key, TypeShape.DateTimeOffset, RawTypes.DateTimeOffsetSize) with { RawAlignment = RawTypes.DateTimeOffsetAlignment };
        }

        if (named.TypeKind == TypeKind.Delegate)
        {
            return walker.Unsupported(path, display, "delegates are code, not data", location);
        }

        if (named.IsGenericType && named.ConstructedFrom.SpecialType == SpecialType.System_Nullable_T)
        {
            return CollectionShapes.Nullable(walker, named, key, path, location);
        }

        if (named.IsGenericType && walker.Known.GenericCollections.TryGetValue(named.ConstructedFrom, out CollectionKind kind))
        {
            return CollectionShapes.GenericCollection(walker, named, kind, key, path, location);
        }

        if (named.TypeKind == TypeKind.Interface && KnownTypeSymbols.HasAttribute(named, walker.Known.GatewayAttribute))
        {
            return Model(type, key, TypeShape.Gateway, 1);
        }

        if (IsFrameworkNamespace(named.ContainingNamespace))
        {
            return walker.Unsupported(path, display, "it is a framework type without a wire form", location);
        }

        if (named.IsGenericType && named.TypeArguments.Any(argument => argument is ITypeParameterSymbol))
        {
            return walker.Unsupported(path, display, "open generic types have no fixed shape", location);
        }

        if (!AccessibilityRule.IsAccessible(walker, named, display, location))
        {
            return null;
        }

        if (named.TypeKind == TypeKind.Interface || named.IsAbstract)
        {
            return UnionShapes.Union(walker, named, key, path, location);
        }

        if (named.TypeKind is TypeKind.Class or TypeKind.Struct)
        {
            return ObjectShapes.Object(walker, named, key, path, location);
        }

        return walker.Unsupported(path, display, $"a {named.TypeKind.ToString().ToLowerInvariant()} has no wire form", location);
    }

    /// <summary>The model of <paramref name="type"/> with what every shape has; shapes that reach other types add them.</summary>
    public static TypeModel Model(ITypeSymbol type, string key, TypeShape shape, int minimumSize) => new()
    {
        FullyQualifiedName = key,
        DisplayName = SymbolNames.Display(type),
        Identifier = Identifiers.FromKey(key),
        Shape = shape,
        IsValueType = type.IsValueType,
        MinimumSize = minimumSize,
    };

    // System and System.*, and Microsoft.* (not a namespace named just Microsoft): where framework types live.
    private static bool IsFrameworkNamespace(INamespaceSymbol? ns)
    {
        if (ns is null || ns.IsGlobalNamespace)
        {
            return false;
        }

        INamespaceSymbol root = ns;
        while (root.ContainingNamespace is { IsGlobalNamespace: false } parent)
        {
            root = parent;
        }

        return root.Name == "System" || (root.Name == "Microsoft" && !SymbolEqualityComparer.Default.Equals(root, ns));
    }
}
