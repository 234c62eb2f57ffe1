using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Toolkit.Rpc.Generators.Model;

namespace Toolkit.Rpc.Generators.Parsing;

/// <summary>
/// The types a contract is recognized by, resolved once per compilation and compared with
/// <see cref="SymbolEqualityComparer"/>, never by name. A type the compilation lacks is null and matches nothing.
/// </summary>
internal sealed class KnownTypeSymbols
{
    public KnownTypeSymbols(Compilation compilation)
    {
        Compilation = compilation;
        GatewayAttribute = Resolve(KnownNames.GatewayAttribute);
        TimeoutAttribute = Resolve(KnownNames.TimeoutAttribute);
        UnionAttribute = Resolve(KnownNames.UnionAttribute);
        IgnoreAttribute = Resolve(KnownNames.IgnoreAttribute);
        ConstructorAttribute = Resolve(KnownNames.ConstructorAttribute);
        FaultAttribute = Resolve(KnownNames.FaultAttribute);
        FencedAttribute = Resolve(KnownNames.FencedAttribute);
        UnfencedAttribute = Resolve(KnownNames.UnfencedAttribute);
        FencedEndpoint = Resolve(KnownNames.FencedEndpoint);
        Endpoint = Resolve(KnownNames.Endpoint);
        Exception = Resolve("System.Exception");
        Task = Resolve("System.Threading.Tasks.Task");
        TaskOfT = Resolve("System.Threading.Tasks.Task`1");
        ValueTask = Resolve("System.Threading.Tasks.ValueTask");
        ValueTaskOfT = Resolve("System.Threading.Tasks.ValueTask`1");
        CancellationToken = Resolve("System.Threading.CancellationToken");
        AsyncEnumerable = Resolve("System.Collections.Generic.IAsyncEnumerable`1");
        Stream = Resolve("System.IO.Stream");
        PipeReader = Resolve("System.IO.Pipelines.PipeReader");
        TimeSpan = Resolve("System.TimeSpan");
        DateTimeOffset = Resolve("System.DateTimeOffset");
        Guid = Resolve("System.Guid");
        Int128 = Resolve("System.Int128");
        UInt128 = Resolve("System.UInt128");
        Half = Resolve("System.Half");
        DateOnly = Resolve("System.DateOnly");
        TimeOnly = Resolve("System.TimeOnly");
        GenericCollections = Collections();
    }

    public Compilation Compilation { get; }

    public INamedTypeSymbol? GatewayAttribute { get; }

    public INamedTypeSymbol? TimeoutAttribute { get; }

    public INamedTypeSymbol? UnionAttribute { get; }

    public INamedTypeSymbol? IgnoreAttribute { get; }

    public INamedTypeSymbol? ConstructorAttribute { get; }

    public INamedTypeSymbol? FaultAttribute { get; }

    public INamedTypeSymbol? FencedAttribute { get; }

    public INamedTypeSymbol? UnfencedAttribute { get; }

    public INamedTypeSymbol? FencedEndpoint { get; }

    public INamedTypeSymbol? Endpoint { get; }

    public INamedTypeSymbol? Exception { get; }

    public INamedTypeSymbol? Task { get; }

    public INamedTypeSymbol? TaskOfT { get; }

    public INamedTypeSymbol? ValueTask { get; }

    public INamedTypeSymbol? ValueTaskOfT { get; }

    public INamedTypeSymbol? CancellationToken { get; }

    public INamedTypeSymbol? AsyncEnumerable { get; }

    public INamedTypeSymbol? Stream { get; }

    public INamedTypeSymbol? PipeReader { get; }

    public INamedTypeSymbol? TimeSpan { get; }

    public INamedTypeSymbol? DateTimeOffset { get; }

    public INamedTypeSymbol? Guid { get; }

    public INamedTypeSymbol? Int128 { get; }

    public INamedTypeSymbol? UInt128 { get; }

    public INamedTypeSymbol? Half { get; }

    public INamedTypeSymbol? DateOnly { get; }

    public INamedTypeSymbol? TimeOnly { get; }

    /// <summary>The generic collection definitions with a wire form (<c>List&lt;T&gt;</c>, <c>IReadOnlyDictionary&lt;TKey, TValue&gt;</c> …), by kind.</summary>
    public IReadOnlyDictionary<INamedTypeSymbol, CollectionKind> GenericCollections { get; }

    /// <summary>Whether <paramref name="type"/> is <paramref name="known"/>; false when the compilation lacks it.</summary>
    public static bool Is(ITypeSymbol? type, INamedTypeSymbol? known) =>
        type is not null && known is not null && SymbolEqualityComparer.Default.Equals(type, known);

    /// <summary>Whether <paramref name="type"/> derives from <paramref name="ancestor"/>, directly or not.</summary>
    public static bool DerivesFrom(ITypeSymbol type, INamedTypeSymbol? ancestor)
    {
        for (INamedTypeSymbol? current = type.BaseType; current is not null; current = current.BaseType)
        {
            if (Is(current, ancestor))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Whether <paramref name="symbol"/> carries the attribute <paramref name="attribute"/>.</summary>
    public static bool HasAttribute(ISymbol symbol, INamedTypeSymbol? attribute) => Attribute(symbol, attribute) is not null;

    /// <summary>The first <paramref name="attribute"/> on <paramref name="symbol"/>, or null.</summary>
    public static AttributeData? Attribute(ISymbol symbol, INamedTypeSymbol? attribute)
    {
        foreach (AttributeData data in symbol.GetAttributes())
        {
            if (Is(data.AttributeClass, attribute))
            {
                return data;
            }
        }

        return null;
    }

    // As Roslyn's GetBestTypeByMetadataName: the compilation's own definition wins, else the one definition visible
    // from it. GetTypeByMetadataName gives up (null) as soon as two references define the name, as polyfills do.
    private INamedTypeSymbol? Resolve(string metadataName)
    {
        INamedTypeSymbol? best = null;
        foreach (INamedTypeSymbol candidate in Compilation.GetTypesByMetadataName(metadataName))
        {
            if (SymbolEqualityComparer.Default.Equals(candidate.ContainingAssembly, Compilation.Assembly))
            {
                return candidate;
            }

            if (!Compilation.IsSymbolAccessibleWithin(candidate, Compilation.Assembly) || SymbolEqualityComparer.Default.Equals(candidate, best))
            {
                continue;
            }

            if (best is not null)
            {
                return null;
            }

            best = candidate;
        }

        return best;
    }

    private Dictionary<INamedTypeSymbol, CollectionKind> Collections()
    {
        Dictionary<INamedTypeSymbol, CollectionKind> kinds = new(SymbolEqualityComparer.Default);
        void Add(string metadataName, CollectionKind kind)
        {
            if (Resolve(metadataName) is { } definition)
            {
                kinds[definition] = kind;
            }
        }

        Add("System.Collections.Generic.List`1", CollectionKind.List);
        Add("System.Collections.Generic.IList`1", CollectionKind.ListInterface);
        Add("System.Collections.Generic.IReadOnlyList`1", CollectionKind.ListInterface);
        Add("System.Collections.Generic.ICollection`1", CollectionKind.ListInterface);
        Add("System.Collections.Generic.IReadOnlyCollection`1", CollectionKind.ListInterface);
        Add("System.Collections.Generic.HashSet`1", CollectionKind.HashSet);
        Add("System.Collections.Generic.ISet`1", CollectionKind.HashSet);
        Add("System.Collections.Generic.IReadOnlySet`1", CollectionKind.HashSet);
        Add("System.Collections.Generic.Dictionary`2", CollectionKind.Dictionary);
        Add("System.Collections.Generic.IDictionary`2", CollectionKind.DictionaryInterface);
        Add("System.Collections.Generic.IReadOnlyDictionary`2", CollectionKind.DictionaryInterface);
        Add("System.ReadOnlyMemory`1", CollectionKind.ReadOnlyMemory);
        Add("System.Memory`1", CollectionKind.Memory);
        return kinds;
    }
}
