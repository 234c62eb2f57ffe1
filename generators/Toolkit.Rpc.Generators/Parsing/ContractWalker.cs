using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Toolkit.Rpc.Generators.Model;

namespace Toolkit.Rpc.Generators.Parsing;

/// <summary>
/// Walks a gateway and every type reachable from it into models, collecting every contract rule it breaks. The one
/// classification of contract shapes, for both callers: the generator builds code from a walk without problems and
/// skips the others, the analyzers report the problems. The rules live by concern in <see cref="GatewayRules"/>,
/// <see cref="MethodRules"/>, <see cref="TypeClassifier"/>, <see cref="ObjectShapes"/>, <see cref="UnionShapes"/>,
/// <see cref="CollectionShapes"/> and <see cref="AccessibilityRule"/>; this class holds what they share.
/// </summary>
internal sealed class ContractWalker
{
    private readonly List<ContractProblem> _problems = new();

    // Each type once, by key: null while it is being walked (a recursive type) and after it failed.
    private readonly Dictionary<string, TypeModel?> _types = new(StringComparer.Ordinal);
    private readonly HashSet<string> _walking = new(StringComparer.Ordinal);

    private ContractWalker(KnownTypeSymbols known, CancellationToken cancellation)
    {
        Known = known;
        Cancellation = cancellation;
    }

    public KnownTypeSymbols Known { get; }

    public CancellationToken Cancellation { get; }

    /// <summary>What the type being walked travels as ("Parameter 'report' of IFoo.Send"); paths below it start at its type.</summary>
    public string Subject { get; set; } = "";

    /// <summary>Walks <paramref name="gateway"/>, its methods and every type they reach.</summary>
    public static GatewayContract Walk(INamedTypeSymbol gateway, KnownTypeSymbols known, CancellationToken cancellation)
    {
        ContractWalker walker = new(known, cancellation);
        IReadOnlyList<MethodModel> methods = GatewayRules.Methods(walker, gateway);
        List<TypeModel> types = walker._types.Values.Where(type => type is not null).Select(type => type!).ToList();
        return new GatewayContract(methods, types, walker._problems);
    }

    /// <summary>Walks <paramref name="type"/> and everything it reaches; returns its key, or null when it has no wire form (the problem says why).</summary>
    public string? TypeKey(ITypeSymbol type, string path, Location? location)
    {
        Cancellation.ThrowIfCancellationRequested();
        if (ByteStreamRules.IsByteStream(Known, type))
        {
            // Checked before the cache: a Stream that is also a method's own argument must still be refused in a message.
            Report(ContractRule.MisplacedByteStream, location, Subject, $"it reaches a {type.Name} at {path}: byte streams travel only as a gateway method's own argument or result, not inside a message, collection or item stream");
            return null;
        }

        string key = SymbolNames.Key(type.WithNullableAnnotation(NullableAnnotation.NotAnnotated));
        if (_types.TryGetValue(key, out TypeModel? known))
        {
            // A failed type was reported once, where it was first reached.
            return known is not null || _walking.Contains(key) ? key : null;
        }

        _types[key] = null;
        _walking.Add(key);
        TypeModel? model = TypeClassifier.Classify(this, type, key, path, location);
        _walking.Remove(key);
        _types[key] = model;
        return model is null ? null : key;
    }

    /// <summary>The key of a <c>Stream</c> or <c>PipeReader</c> that is a method's own argument or result (<see cref="ByteStreamRules"/>).</summary>
    public string ByteStreamKey(ITypeSymbol type)
    {
        string key = SymbolNames.Key(type.WithNullableAnnotation(NullableAnnotation.NotAnnotated));
        _types[key] = TypeClassifier.Model(type, key, KnownTypeSymbols.Is(type, Known.Stream) ? TypeShape.ByteStream : TypeShape.PipeReader, sizeof(long));
        return key;
    }

    /// <summary>The model of a type already walked; null while it is still being walked, so never a raw type.</summary>
    public TypeModel? ModelOf(string key) => _types.TryGetValue(key, out TypeModel? model) ? model : null;

    public void Report(ContractRule rule, Location? location, params string[] arguments) =>
        _problems.Add(new ContractProblem(rule, location, arguments));

    /// <summary>Reports that the type at <paramref name="path"/> has no wire form, and why.</summary>
    public TypeModel? Unsupported(string path, string display, string reason, Location? location)
    {
        Report(ContractRule.UnserializableType, location, Subject, path, display, reason);
        return null;
    }
}
