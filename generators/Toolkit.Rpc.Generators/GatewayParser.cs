using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Toolkit.Rpc.Generators.Model;

namespace Toolkit.Rpc.Generators;

/// <summary>
/// Turns a gateway interface and everything reachable from it into a <see cref="GatewayModel"/>, or finds why it
/// cannot. The one classification of contract shapes: the generator links it to build models and silently skips
/// gateways it cannot generate, the analyzers link it to report why (the reporter is null in the generator).
/// </summary>
internal sealed class GatewayParser
{
    // The key by which types refer to each other: fully qualified, without nullable-reference annotations
    // (string and string? share a wire form), with keywords for special types.
    internal static readonly SymbolDisplayFormat TypeFormat = new(
        globalNamespaceStyle: SymbolDisplayGlobalNamespaceStyle.Included,
        typeQualificationStyle: SymbolDisplayTypeQualificationStyle.NameAndContainingTypesAndNamespaces,
        genericsOptions: SymbolDisplayGenericsOptions.IncludeTypeParameters,
        miscellaneousOptions: SymbolDisplayMiscellaneousOptions.EscapeKeywordIdentifiers | SymbolDisplayMiscellaneousOptions.UseSpecialTypes);

    private static readonly SymbolDisplayFormat DisplayFormat = new(
        typeQualificationStyle: SymbolDisplayTypeQualificationStyle.NameAndContainingTypesAndNamespaces,
        genericsOptions: SymbolDisplayGenericsOptions.IncludeTypeParameters,
        miscellaneousOptions: SymbolDisplayMiscellaneousOptions.UseSpecialTypes);

    private readonly KnownTypeSymbols _known;
    private readonly Compilation _compilation;
    private readonly CancellationToken _cancellation;
    private readonly Action<ContractProblem>? _report;
    private readonly Dictionary<string, TypeModel?> _types = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ITypeSymbol> _symbols = new(StringComparer.Ordinal);

    // What the type being analyzed travels as ("Parameter 'report' of IFoo.Send"); paths below it start at its type.
    private string _subject = "";

    private GatewayParser(KnownTypeSymbols known, Action<ContractProblem>? report, CancellationToken cancellation)
    {
        _known = known;
        _compilation = known.Compilation;
        _report = report;
        _cancellation = cancellation;
    }

    /// <summary>The model of a gateway, or null when it breaks a contract rule (the analyzers say which).</summary>
    public static GatewayModel? ParseGateway(ISymbol target, KnownTypeSymbols known, CancellationToken cancellation) =>
        target is INamedTypeSymbol { TypeKind: TypeKind.Interface } symbol
            ? new GatewayParser(known, null, cancellation).Gateway(symbol)
            : null;

    /// <summary>Walks <paramref name="gateway"/> as the generator does and hands every broken contract rule to <paramref name="report"/>.</summary>
    public static void CheckGateway(INamedTypeSymbol gateway, KnownTypeSymbols known, Action<ContractProblem> report, CancellationToken cancellation) =>
        new GatewayParser(known, report, cancellation).Gateway(gateway);

    public static EndpointModel? ParseEndpoint(ISymbol? declared, KnownTypeSymbols known)
    {
        if (declared is not INamedTypeSymbol { TypeKind: TypeKind.Class, IsAbstract: false, IsGenericType: false } type
            || !DerivesFrom(type, known.Endpoint)
            || !known.Compilation.IsSymbolAccessibleWithin(type, known.Compilation.Assembly))
        {
            return null;
        }

        List<GatewayReference> gateways = new();
        foreach (INamedTypeSymbol candidate in type.AllInterfaces)
        {
            if (KnownTypeSymbols.HasAttribute(candidate, known.GatewayAttribute) && !candidate.IsGenericType)
            {
                string key = candidate.ToDisplayString(TypeFormat);
                bool local = SymbolEqualityComparer.Default.Equals(candidate.ContainingAssembly, known.Compilation.Assembly);
                gateways.Add(new GatewayReference(key, Identifier(key), local));
            }
        }

        return gateways.Count == 0 ? null : new EndpointModel(type.ToDisplayString(TypeFormat), gateways.ToEquatableArray());
    }

    /// <summary>
    /// A C# identifier made from a type key: readable, plus a hash of the whole key, because folding
    /// punctuation to underscores alone would make <c>A.B&lt;C&gt;</c> and <c>A.B.C</c> collide.
    /// </summary>
    internal static string Identifier(string key)
    {
        string text = key.StartsWith("global::", StringComparison.Ordinal) ? key.Substring("global::".Length) : key;
        StringBuilder builder = new(text.Length + 10);
        foreach (char c in text)
        {
            if (char.IsLetterOrDigit(c))
            {
                builder.Append(c);
            }
            else if (builder.Length > 0 && builder[builder.Length - 1] != '_')
            {
                builder.Append('_');
            }
        }

        if (builder.Length == 0 || builder[builder.Length - 1] != '_')
        {
            builder.Append('_');
        }

        builder.Append(unchecked((uint)StableHash.Of32(key)).ToString("x8", CultureInfo.InvariantCulture));
        return char.IsDigit(builder[0]) ? "_" + builder : builder.ToString();
    }

    private static string EscapeIdentifier(string name) =>
        SyntaxFacts.GetKeywordKind(name) != SyntaxKind.None || SyntaxFacts.GetContextualKeywordKind(name) != SyntaxKind.None ? "@" + name : name;

    private static bool DerivesFrom(ITypeSymbol type, INamedTypeSymbol? ancestor)
    {
        for (INamedTypeSymbol? current = type.BaseType; current is not null; current = current.BaseType)
        {
            if (KnownTypeSymbols.Is(current, ancestor))
            {
                return true;
            }
        }

        return false;
    }

    private GatewayModel? Gateway(INamedTypeSymbol gateway)
    {
        Location? location = gateway.Locations.FirstOrDefault();
        string display = gateway.ToDisplayString(DisplayFormat);
        if (gateway.IsGenericType)
        {
            Report(ContractRule.GenericGateway, location, display);
            return null;
        }

        if (!IsAccessible(gateway, display, location))
        {
            return null;
        }

        List<MethodModel> methods = new();
        List<Location?> methodLocations = new();
        bool failed = false;
        foreach (INamedTypeSymbol declaring in new[] { gateway }.Concat(gateway.AllInterfaces))
        {
            foreach (ISymbol member in declaring.GetMembers())
            {
                _cancellation.ThrowIfCancellationRequested();
                MethodModel? method = Member(declaring, member, ref failed);
                if (method is not null)
                {
                    methods.Add(method);
                    methodLocations.Add(member.Locations.FirstOrDefault());
                }
            }
        }

        foreach (IGrouping<int, int> collision in Enumerable.Range(0, methods.Count).GroupBy(index => methods[index].Id).Where(group => group.Count() > 1))
        {
            int[] colliding = collision.ToArray();
            Location? second = methodLocations[colliding[1]];
            Report(
                ContractRule.MethodIdCollision,
                second is { IsInSource: true } ? second : location,
                Qualified(methods[colliding[0]]),
                Qualified(methods[colliding[1]]),
                unchecked((uint)collision.Key).ToString("X8", CultureInfo.InvariantCulture));
            failed = true;
        }

        // With a reporter (the analyzers) only the problems are wanted: the recursion marks, the contract lines and
        // the fingerprint below are the generator's, and CheckGateway would throw them away on every analysis.
        if (failed || _report is not null)
        {
            return null;
        }

        string key = gateway.ToDisplayString(TypeFormat);
        EquatableArray<TypeModel> types = MarkRecursive(_types.Values.Where(type => type is not null).Select(type => type!))
            .OrderBy(type => type.FullyQualifiedName, StringComparer.Ordinal)
            .ToEquatableArray();
        EquatableArray<MethodModel> methodModels = methods.ToEquatableArray();
        EquatableArray<string> contract = ContractDescription.Lines(methodModels, types);
        string displayName = gateway.ToDisplayString();
        return new GatewayModel(
            key,
            displayName,
            gateway.Name,
            Identifier(key),
            StableHash.Of32(displayName),
            ContractDescription.Fingerprint(contract),
            contract,
            methodModels,
            types);
    }

    /// <summary>Marks the objects that can reach themselves through members, elements, keys or union cases.</summary>
    private static IEnumerable<TypeModel> MarkRecursive(IEnumerable<TypeModel> types)
    {
        Dictionary<string, TypeModel> byName = types.ToDictionary(type => type.FullyQualifiedName, StringComparer.Ordinal);

        IEnumerable<string> Edges(TypeModel type) => type.Members.Select(member => member.Type)
            .Concat(type.Cases.Select(unionCase => unionCase.Type))
            .Concat(new[] { type.ElementType, type.KeyType }.Where(name => name is not null).Select(name => name!));

        bool ReachesItself(TypeModel start)
        {
            HashSet<string> seen = new(StringComparer.Ordinal);
            Stack<string> pending = new(Edges(start));
            while (pending.Count > 0)
            {
                string name = pending.Pop();
                if (name == start.FullyQualifiedName)
                {
                    return true;
                }

                if (seen.Add(name) && byName.TryGetValue(name, out TypeModel? next))
                {
                    foreach (string edge in Edges(next))
                    {
                        pending.Push(edge);
                    }
                }
            }

            return false;
        }

        return byName.Values.Select(type => type.Shape == TypeShape.Object && ReachesItself(type) ? type with { IsRecursive = true } : type);
    }

    private static string Qualified(MethodModel method)
    {
        string declaring = method.DeclaringInterface.StartsWith("global::", StringComparison.Ordinal)
            ? method.DeclaringInterface.Substring("global::".Length)
            : method.DeclaringInterface;
        return $"{declaring}.{method.Name}";
    }

    private MethodModel? Member(INamedTypeSymbol declaring, ISymbol member, ref bool failed)
    {
        string gatewayDisplay = declaring.ToDisplayString(DisplayFormat);
        Location? location = member.Locations.FirstOrDefault();
        switch (member)
        {
            case IMethodSymbol { MethodKind: MethodKind.Ordinary, IsStatic: false, IsAbstract: true } method:
                if (method.IsGenericMethod)
                {
                    Report(ContractRule.UnsupportedGatewayMember, location, gatewayDisplay, "the generic method", method.Name);
                    failed = true;
                    return null;
                }

                MethodModel? model = Method(declaring, method);
                failed |= model is null;
                return model;
            case IMethodSymbol { IsStatic: true, IsAbstract: true }:
                Report(ContractRule.UnsupportedGatewayMember, location, gatewayDisplay, "the static abstract member", member.Name);
                failed = true;
                return null;
            case IPropertySymbol { IsStatic: false } property:
                Report(ContractRule.UnsupportedGatewayMember, location, gatewayDisplay, property.IsIndexer ? "the indexer" : "the property", member.Name);
                failed = true;
                return null;
            case IEventSymbol { IsStatic: false }:
                Report(ContractRule.UnsupportedGatewayMember, location, gatewayDisplay, "the event", member.Name);
                failed = true;
                return null;
            default:
                // Accessors, static helpers and default-implemented members need no remote form.
                return null;
        }
    }

    private MethodModel? Method(INamedTypeSymbol declaring, IMethodSymbol method)
    {
        Location? location = method.Locations.FirstOrDefault();
        string methodDisplay = $"{declaring.Name}.{method.Name}";
        bool ok = true;
        (ReturnKind kind, ITypeSymbol? result) = ReturnOf(method.ReturnType);
        string? resultKey = null;
        if (kind == (ReturnKind)(-1))
        {
            Report(ContractRule.UnsupportedReturnType, ReturnTypeLocation(method) ?? location, methodDisplay, method.ReturnType.ToDisplayString(DisplayFormat));
            ok = false;
        }
        else if (result is not null)
        {
            _subject = $"The result of {methodDisplay}";
            resultKey = Analyze(result, result.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat), ReturnTypeLocation(method) ?? location);
            ok &= resultKey is not null;
        }

        List<ParameterModel> parameters = new();
        bool seenSpecial = false;
        Location? firstSpecial = null;
        bool seenTimeout = false;
        bool seenCancellation = false;
        foreach (IParameterSymbol parameter in method.Parameters)
        {
            Location? parameterLocation = parameter.Locations.FirstOrDefault() ?? location;
            if (parameter.RefKind != RefKind.None)
            {
                string how = parameter.RefKind switch
                {
                    RefKind.Out => "an out parameter",
                    RefKind.In => "an in parameter",
                    RefKind.Ref => "a ref parameter",
                    _ => "a ref readonly parameter",
                };
                Report(ContractRule.UnsupportedParameter, parameterLocation, parameter.Name, methodDisplay, how);
                ok = false;
                continue;
            }

            string name = EscapeIdentifier(parameter.Name);
            if (KnownTypeSymbols.Is(parameter.Type, _known.CancellationToken))
            {
                if (seenCancellation)
                {
                    Report(ContractRule.MisplacedSpecialParameter, parameterLocation, methodDisplay, "it takes more than one CancellationToken");
                    ok = false;
                }

                seenSpecial = seenCancellation = true;
                firstSpecial ??= parameterLocation;
                parameters.Add(new ParameterModel(name, "global::System.Threading.CancellationToken", ParameterRole.Cancellation));
                continue;
            }

            if (KnownTypeSymbols.HasAttribute(parameter, _known.TimeoutAttribute))
            {
                if (!KnownTypeSymbols.Is(parameter.Type, _known.TimeSpan))
                {
                    Report(ContractRule.MisplacedSpecialParameter, parameterLocation, methodDisplay, $"[RpcTimeout] parameter '{parameter.Name}' is not a TimeSpan");
                    ok = false;
                }
                else if (seenTimeout || seenCancellation)
                {
                    Report(ContractRule.MisplacedSpecialParameter, parameterLocation, methodDisplay, seenTimeout
                        ? "it takes more than one [RpcTimeout] parameter"
                        : "the [RpcTimeout] parameter must come before the CancellationToken");
                    ok = false;
                }

                seenSpecial = seenTimeout = true;
                firstSpecial ??= parameterLocation;
                parameters.Add(new ParameterModel(name, "global::System.TimeSpan", ParameterRole.Timeout));
                continue;
            }

            if (seenSpecial)
            {
                Report(ContractRule.MisplacedSpecialParameter, parameterLocation, methodDisplay, $"argument '{parameter.Name}' follows the timeout or cancellation parameter; those come last");
                ok = false;
            }

            _subject = $"Parameter '{parameter.Name}' of {methodDisplay}";
            string? key = Analyze(parameter.Type, parameter.Type.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat), parameterLocation);
            ok &= key is not null;
            parameters.Add(new ParameterModel(name, key ?? "", ParameterRole.Argument));
        }

        if (kind == ReturnKind.Void && seenSpecial)
        {
            Report(ContractRule.MisplacedSpecialParameter, firstSpecial ?? location, methodDisplay, "one-way (void) methods never wait, so they take no timeout or CancellationToken");
            ok = false;
        }

        int? timeout = null;
        AttributeData? timeoutAttribute = KnownTypeSymbols.Attribute(method, _known.TimeoutAttribute);
        if (timeoutAttribute is { ConstructorArguments.Length: 1 } && timeoutAttribute.ConstructorArguments[0].Value is int milliseconds)
        {
            if (milliseconds <= 0)
            {
                Report(ContractRule.TimeoutWithoutMilliseconds, AttributeLocation(timeoutAttribute) ?? location, methodDisplay, $"{milliseconds} milliseconds");
                ok = false;
            }

            timeout = milliseconds;
        }
        else if (timeoutAttribute is not null)
        {
            Report(ContractRule.TimeoutWithoutMilliseconds, AttributeLocation(timeoutAttribute) ?? location, methodDisplay, "no milliseconds");
            ok = false;
        }

        List<string> faults = Faults(declaring, method, methodDisplay, location, ref ok);
        if (!ok)
        {
            return null;
        }

        string signature = $"{method.Name}({string.Join(",", parameters.Where(p => p.Role == ParameterRole.Argument).Select(p => p.Type))})";
        return new MethodModel(
            method.Name,
            declaring.ToDisplayString(TypeFormat),
            StableHash.Of32(signature),
            kind,
            method.ReturnType.ToDisplayString(TypeFormat),
            resultKey,
            timeout,
            parameters.ToEquatableArray(),
            faults.ToEquatableArray());
    }

    // The method's own [RpcFault] types, then its interface's, each once; a type that is no exception breaks the rule.
    private List<string> Faults(INamedTypeSymbol declaring, IMethodSymbol method, string methodDisplay, Location? location, ref bool ok)
    {
        List<string> faults = new();
        foreach (AttributeData attribute in method.GetAttributes().Concat(declaring.GetAttributes()))
        {
            if (!KnownTypeSymbols.Is(attribute.AttributeClass, _known.FaultAttribute) || attribute.ConstructorArguments.Length != 1 || attribute.ConstructorArguments[0].Value is not ITypeSymbol type)
            {
                continue;
            }

            Location? attributeLocation = AttributeLocation(attribute) ?? location;
            if (!IsException(type) || type.IsAbstract)
            {
                Report(ContractRule.InvalidFault, attributeLocation, type.ToDisplayString(DisplayFormat), methodDisplay,
                    type.IsAbstract && IsException(type) ? "it is abstract: the caller could not create it" : "it does not derive from System.Exception");
                ok = false;
                continue;
            }

            _subject = $"Fault {type.Name} of {methodDisplay}";
            string? key = Analyze(type, type.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat), attributeLocation);
            ok &= key is not null;
            if (key is not null && !faults.Contains(key))
            {
                faults.Add(key);
            }
        }

        return faults;
    }

    private bool IsException(ITypeSymbol type) => KnownTypeSymbols.Is(type, _known.Exception) || DerivesFrom(type, _known.Exception);

    // Syntax is only looked up for a rule that is broken, so the generator's valid gateways never pay for it.
    private Location? ReturnTypeLocation(IMethodSymbol method) =>
        method.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax(_cancellation) is MethodDeclarationSyntax declaration
            ? declaration.ReturnType.GetLocation()
            : null;

    private Location? AttributeLocation(AttributeData attribute) => attribute.ApplicationSyntaxReference?.GetSyntax(_cancellation).GetLocation();

    private (ReturnKind Kind, ITypeSymbol? Result) ReturnOf(ITypeSymbol type)
    {
        if (type.SpecialType == SpecialType.System_Void)
        {
            return (ReturnKind.Void, null);
        }

        if (type is INamedTypeSymbol named)
        {
            INamedTypeSymbol definition = named.ConstructedFrom;
            if (KnownTypeSymbols.Is(definition, _known.Task))
            {
                return (ReturnKind.Task, null);
            }

            if (KnownTypeSymbols.Is(definition, _known.ValueTask))
            {
                return (ReturnKind.ValueTask, null);
            }

            if (KnownTypeSymbols.Is(definition, _known.TaskOfT))
            {
                return (ReturnKind.TaskOfT, named.TypeArguments[0]);
            }

            if (KnownTypeSymbols.Is(definition, _known.ValueTaskOfT))
            {
                return (ReturnKind.ValueTaskOfT, named.TypeArguments[0]);
            }
        }

        return ((ReturnKind)(-1), null);
    }

    /// <summary>Records <paramref name="type"/> and everything it reaches; returns its key, or null after reporting why it has no wire form.</summary>
    private string? Analyze(ITypeSymbol type, string path, Location? location)
    {
        _cancellation.ThrowIfCancellationRequested();
        string key = type.WithNullableAnnotation(NullableAnnotation.NotAnnotated).ToDisplayString(TypeFormat);
        if (_types.TryGetValue(key, out TypeModel? known))
        {
            // Null while the type is being analyzed (a recursive type) or after it failed; failures were reported once.
            return known is not null || _symbols.ContainsKey(key) ? key : null;
        }

        _types[key] = null;
        _symbols[key] = type;
        TypeModel? model = Classify(type, key, path, location);
        _types[key] = model;
        if (model is null)
        {
            _symbols.Remove(key);
        }

        return model is null ? null : key;
    }

    private TypeModel? Classify(ITypeSymbol type, string key, string path, Location? location)
    {
        string display = type.ToDisplayString(DisplayFormat);
        int? rawSize = RawSize(type, _known);
        if (rawSize is int size)
        {
            return type.TypeKind == TypeKind.Enum
                ? Leaf(type, key, TypeShape.Unmanaged, size) with { EnumMembers = EnumMembers(type) }
                : Leaf(type, key, TypeShape.Unmanaged, size);
        }

        switch (type.SpecialType)
        {
            case SpecialType.System_String:
                return Leaf(type, key, TypeShape.String, 4);
            case SpecialType.System_Object:
                return Unsupported(path, display, "object has no fixed shape; use a concrete type or a union", location);
            case SpecialType.System_IntPtr:
            case SpecialType.System_UIntPtr:
                return Unsupported(path, display, "its size depends on the platform; use int or long", location);
        }

        switch (type)
        {
            case IArrayTypeSymbol array:
                return Array(array, key, path, location);
            case IPointerTypeSymbol or IFunctionPointerTypeSymbol:
                return Unsupported(path, display, "pointers only mean something inside one process", location);
            case ITypeParameterSymbol:
                return Unsupported(path, display, "type parameters are not known until run time; use a concrete type", location);
            case IDynamicTypeSymbol:
                return Unsupported(path, display, "dynamic has no fixed shape", location);
        }

        if (type is not INamedTypeSymbol named)
        {
            return Unsupported(path, display, "it is not a named type", location);
        }

        if (KnownTypeSymbols.Is(named, _known.DateTimeOffset))
        {
            return Leaf(type, key, TypeShape.DateTimeOffset, 16);
        }

        if (named.TypeKind == TypeKind.Delegate)
        {
            return Unsupported(path, display, "delegates are code, not data", location);
        }

        if (named.IsGenericType && named.ConstructedFrom.SpecialType == SpecialType.System_Nullable_T)
        {
            return Nullable(named, key, path, location);
        }

        if (named.IsGenericType && GenericCollection(named, key, path, location, out TypeModel? collection))
        {
            return collection;
        }

        if (named.TypeKind == TypeKind.Interface && KnownTypeSymbols.HasAttribute(named, _known.GatewayAttribute))
        {
            return Leaf(type, key, TypeShape.Gateway, 1);
        }

        if (IsFrameworkNamespace(named.ContainingNamespace))
        {
            return Unsupported(path, display, "it is a framework type without a wire form", location);
        }

        if (named.IsGenericType && named.TypeArguments.Any(argument => argument is ITypeParameterSymbol))
        {
            return Unsupported(path, display, "open generic types have no fixed shape", location);
        }

        if (!IsAccessible(named, display, location))
        {
            return null;
        }

        if (named.TypeKind == TypeKind.Interface || named.IsAbstract)
        {
            return Union(named, key, path, location);
        }

        if (named.TypeKind is TypeKind.Class or TypeKind.Struct)
        {
            return Object(named, key, path, location);
        }

        return Unsupported(path, display, $"a {named.TypeKind.ToString().ToLowerInvariant()} has no wire form", location);
    }

    private TypeModel? Array(IArrayTypeSymbol array, string key, string path, Location? location)
    {
        if (array.Rank != 1)
        {
            return Unsupported(path, array.ToDisplayString(DisplayFormat), "multi-dimensional arrays are not supported; use an array of arrays", location);
        }

        string? element = Analyze(array.ElementType, path + "[]", location);
        if (element is null)
        {
            return null;
        }

        TypeShape shape = IsBlockCopyable(array.ElementType, _known) ? TypeShape.UnmanagedArray : TypeShape.Collection;
        return new TypeModel(key, array.ToDisplayString(DisplayFormat), Identifier(key), shape, false, 4, CollectionKind.Array, element, null, default, default);
    }

    private TypeModel? Nullable(INamedTypeSymbol nullable, string key, string path, Location? location)
    {
        ITypeSymbol underlying = nullable.TypeArguments[0];
        string? element = Analyze(underlying, path, location);
        if (element is null)
        {
            return null;
        }

        // No model yet means a struct still being parsed (struct Node { List<Node?> Children }): an object, never raw.
        TypeModel? inner = _types[element];
        (TypeShape shape, int size) = inner?.Shape switch
        {
            TypeShape.Unmanaged => (TypeShape.NullableUnmanaged, RawLayout.NullableSize(inner!)),
            TypeShape.DateTimeOffset => (TypeShape.NullableDateTimeOffset, 8 + inner!.MinimumSize),
            _ => (TypeShape.NullableObject, 1),
        };
        return new TypeModel(key, nullable.ToDisplayString(DisplayFormat), Identifier(key), shape, true, size, CollectionKind.None, element, null, default, default);
    }

    private bool GenericCollection(INamedTypeSymbol named, string key, string path, Location? location, out TypeModel? model)
    {
        model = null;
        if (!_known.GenericCollections.TryGetValue(named.ConstructedFrom, out CollectionKind kind))
        {
            return false;
        }

        string display = named.ToDisplayString(DisplayFormat);
        if (kind is CollectionKind.ReadOnlyMemory or CollectionKind.Memory)
        {
            model = named.TypeArguments[0].SpecialType == SpecialType.System_Byte
                ? new TypeModel(key, display, Identifier(key), TypeShape.Bytes, true, 4, kind, null, null, default, default)
                : Unsupported(path, display, "only memory of bytes has a wire form; use an array", location);
            return true;
        }

        if (kind is CollectionKind.Dictionary or CollectionKind.DictionaryInterface)
        {
            string? keyType = Analyze(named.TypeArguments[0], path + ".Keys[]", location);
            string? valueType = Analyze(named.TypeArguments[1], path + "[]", location);
            model = keyType is null || valueType is null
                ? null
                : new TypeModel(key, display, Identifier(key), TypeShape.Dictionary, false, 4, kind, valueType, keyType, default, default);
            return true;
        }

        string? element = Analyze(named.TypeArguments[0], path + "[]", location);
        model = element is null
            ? null
            : new TypeModel(key, display, Identifier(key), TypeShape.Collection, false, 4, kind, element, null, default, default);
        return true;
    }

    private TypeModel? Union(INamedTypeSymbol type, string key, string path, Location? location)
    {
        string display = type.ToDisplayString(DisplayFormat);
        Location? typeLocation = type.Locations.FirstOrDefault(l => l.IsInSource) ?? location;
        List<UnionCaseModel> cases = new();
        HashSet<int> tags = new();
        HashSet<string> caseTypes = new(StringComparer.Ordinal);
        bool ok = true;
        foreach (AttributeData attribute in type.GetAttributes().Where(a => KnownTypeSymbols.Is(a.AttributeClass, _known.UnionAttribute)))
        {
            if (attribute.ConstructorArguments.Length != 2 || attribute.ConstructorArguments[0].Value is not int tag || attribute.ConstructorArguments[1].Value is not INamedTypeSymbol caseType)
            {
                continue;
            }

            string caseDisplay = caseType.ToDisplayString(DisplayFormat);
            if (tag is < 0 or > ushort.MaxValue)
            {
                Report(ContractRule.InvalidUnion, typeLocation, display, $"the tag {tag} of case '{caseDisplay}' is outside 0–65535");
                ok = false;
                continue;
            }

            if (!tags.Add(tag))
            {
                Report(ContractRule.InvalidUnion, typeLocation, display, $"the tag {tag} is used by more than one case");
                ok = false;
                continue;
            }

            bool derives = type.TypeKind == TypeKind.Interface
                ? caseType.AllInterfaces.Contains(type, SymbolEqualityComparer.Default)
                : InheritanceDepthBelow(caseType, type) > 0;
            if (!derives || caseType.IsAbstract || caseType.TypeKind == TypeKind.Interface)
            {
                Report(ContractRule.InvalidUnion, typeLocation, display, $"case '{caseDisplay}' must be a concrete type deriving from it");
                ok = false;
                continue;
            }

            if (!caseTypes.Add(caseDisplay))
            {
                Report(ContractRule.InvalidUnion, typeLocation, display, $"case '{caseDisplay}' is listed more than once");
                ok = false;
                continue;
            }

            string? caseKey = Analyze(caseType, $"{path} (as {caseType.Name})", location);
            if (caseKey is null)
            {
                ok = false;
                continue;
            }

            cases.Add(new UnionCaseModel(tag, caseKey, InheritanceDepth(caseType)));
        }

        if (cases.Count == 0 && ok)
        {
            Report(ContractRule.InvalidUnion, typeLocation, display, "it is abstract and declares no [RpcUnion(tag, typeof(Case))] cases, so nothing concrete can be created when it is read");
            return null;
        }

        return ok
            ? new TypeModel(key, display, Identifier(key), TypeShape.Union, false, 1, CollectionKind.None, null, null, default, cases.OrderBy(c => c.Tag).ToEquatableArray())
            : null;
    }

    private TypeModel? Object(INamedTypeSymbol type, string key, string path, Location? location)
    {
        string display = type.ToDisplayString(DisplayFormat);
        Location? typeLocation = type.Locations.FirstOrDefault(l => l.IsInSource) ?? location;

        List<ISymbol> candidates = new();
        Stack<INamedTypeSymbol> chain = new();
        IAssemblySymbol? exceptionAssembly = null;
        for (INamedTypeSymbol? current = type; current is not null && current.SpecialType != SpecialType.System_Object && current.SpecialType != SpecialType.System_ValueType; current = current.BaseType)
        {
            // An exception (a declared fault) is data from its own types down; of the runtime's, only its message.
            if (KnownTypeSymbols.Is(current, _known.Exception))
            {
                exceptionAssembly = current.ContainingAssembly;
                candidates.AddRange(current.GetMembers("Message").OfType<IPropertySymbol>());
                break;
            }

            chain.Push(current);
        }

        if (exceptionAssembly is not null)
        {
            chain = new Stack<INamedTypeSymbol>(chain.Reverse().Where(level => !SymbolEqualityComparer.Default.Equals(level.ContainingAssembly, exceptionAssembly)));
        }

        foreach (INamedTypeSymbol level in chain)
        {
            foreach (ISymbol member in level.GetMembers())
            {
                if (member.IsStatic || member.IsImplicitlyDeclared && member is IFieldSymbol || member.DeclaredAccessibility != Accessibility.Public || KnownTypeSymbols.HasAttribute(member, _known.IgnoreAttribute))
                {
                    continue;
                }

                if (member is IPropertySymbol { IsIndexer: false, IsOverride: false, GetMethod.DeclaredAccessibility: Accessibility.Public } property && property.Name != "EqualityContract")
                {
                    candidates.Add(property);
                }
                else if (member is IFieldSymbol { IsConst: false } field && !field.IsImplicitlyDeclared)
                {
                    candidates.Add(field);
                }
            }
        }

        // A member hidden with 'new' by a more derived one is not reachable as value.Name; the most derived one is the data.
        candidates = candidates.Where((candidate, index) => !candidates.Skip(index + 1).Any(later => later.Name == candidate.Name)).ToList();

        IMethodSymbol? constructor = ChooseConstructor(type, candidates, _known, out string? problem);
        if (constructor is null && !(type.IsValueType && problem is null))
        {
            Report(ContractRule.NotConstructible, typeLocation, display, problem ?? "it has no public constructor");
            return null;
        }

        List<MemberModel> members = new();
        bool ok = true;
        foreach (ISymbol candidate in candidates)
        {
            int position = constructor is null ? -1 : IndexOfParameter(constructor, candidate);
            bool settable = candidate switch
            {
                IPropertySymbol property => property.SetMethod is { DeclaredAccessibility: Accessibility.Public },
                IFieldSymbol field => !field.IsReadOnly,
                _ => false,
            };
            if (position < 0 && !settable && exceptionAssembly is not null && SymbolEqualityComparer.Default.Equals(candidate.ContainingAssembly, exceptionAssembly))
            {
                // A fault's message travels with it anyway: as a member only when its constructor takes it.
                continue;
            }

            ITypeSymbol memberType = candidate is IPropertySymbol p ? p.Type : ((IFieldSymbol)candidate).Type;
            string? memberKey = Analyze(memberType, $"{path}.{candidate.Name}", location);
            ok &= memberKey is not null;
            // Get-only and not set by the constructor (computed from other members, most often): written as MemoryPack
            // writes every public member, skipped when read.
            members.Add(new MemberModel(EscapeIdentifier(candidate.Name), memberKey ?? "", position, IsComputed: position < 0 && !settable));
        }

        if (constructor is not null)
        {
            foreach (IParameterSymbol parameter in constructor.Parameters)
            {
                if (!members.Any(member => member.ConstructorPosition == parameter.Ordinal))
                {
                    Report(ContractRule.NotConstructible, typeLocation, display, $"constructor parameter '{parameter.Name}' matches no public member of the same type");
                    return null;
                }
            }
        }

        if (members.Count > RpcWriterMaxMembers)
        {
            Report(ContractRule.NotConstructible, typeLocation, display, $"it has {members.Count} members; at most {RpcWriterMaxMembers} fit the wire format");
            return null;
        }

        return ok
            ? new TypeModel(key, display, Identifier(key), TypeShape.Object, type.IsValueType, 1, CollectionKind.None, null, null, members.ToEquatableArray(), default)
            : null;
    }

    private const int RpcWriterMaxMembers = 249;

    private static IMethodSymbol? ChooseConstructor(INamedTypeSymbol type, List<ISymbol> candidates, KnownTypeSymbols known, out string? problem)
    {
        problem = null;
        IMethodSymbol[] constructors = type.InstanceConstructors
            .Where(c => c.DeclaredAccessibility == Accessibility.Public && !IsCopyConstructor(type, c))
            .ToArray();
        IMethodSymbol? marked = constructors.FirstOrDefault(c => KnownTypeSymbols.HasAttribute(c, known.ConstructorAttribute));
        if (marked is not null)
        {
            if (marked.Parameters.All(parameter => MatchMember(parameter, candidates) is not null))
            {
                return marked;
            }

            problem = "a parameter of its [RpcConstructor] constructor matches no public member of the same name and type";
            return null;
        }

        IMethodSymbol? matching = constructors
            .Where(c => c.Parameters.Length > 0 && c.Parameters.All(parameter => MatchMember(parameter, candidates) is not null))
            .OrderByDescending(c => c.Parameters.Length)
            .FirstOrDefault();
        if (matching is not null)
        {
            return matching;
        }

        IMethodSymbol? parameterless = constructors.FirstOrDefault(c => c.Parameters.Length == 0);
        if (parameterless is not null || type.IsValueType)
        {
            return parameterless;
        }

        problem = constructors.Length == 0
            ? "it has no public constructor"
            : "no public constructor has parameters that all match public members by name and type, and there is no public parameterless constructor; add one or mark one [RpcConstructor]";
        return null;
    }

    private static bool IsCopyConstructor(INamedTypeSymbol type, IMethodSymbol constructor) =>
        type.IsRecord && constructor.Parameters.Length == 1 && SymbolEqualityComparer.Default.Equals(constructor.Parameters[0].Type, type);

    private static ISymbol? MatchMember(IParameterSymbol parameter, List<ISymbol> candidates) => candidates.FirstOrDefault(candidate =>
        string.Equals(candidate.Name, parameter.Name, StringComparison.OrdinalIgnoreCase)
        && SymbolEqualityComparer.Default.Equals(
            (candidate is IPropertySymbol property ? property.Type : ((IFieldSymbol)candidate).Type).WithNullableAnnotation(NullableAnnotation.NotAnnotated),
            parameter.Type.WithNullableAnnotation(NullableAnnotation.NotAnnotated)));

    private static int IndexOfParameter(IMethodSymbol constructor, ISymbol member)
    {
        foreach (IParameterSymbol parameter in constructor.Parameters)
        {
            if (string.Equals(parameter.Name, member.Name, StringComparison.OrdinalIgnoreCase))
            {
                return parameter.Ordinal;
            }
        }

        return -1;
    }

    private static int InheritanceDepth(INamedTypeSymbol type)
    {
        int depth = 0;
        for (INamedTypeSymbol? current = type.BaseType; current is not null; current = current.BaseType)
        {
            depth++;
        }

        return depth;
    }

    private static int InheritanceDepthBelow(INamedTypeSymbol type, INamedTypeSymbol ancestor)
    {
        int depth = 0;
        for (INamedTypeSymbol? current = type; current is not null; current = current.BaseType)
        {
            if (SymbolEqualityComparer.Default.Equals(current, ancestor))
            {
                return depth;
            }

            depth++;
        }

        return -1;
    }

    /// <summary>The size of a type written as raw bytes, or null when it is not one.</summary>
    private static int? RawSize(ITypeSymbol type, KnownTypeSymbols known)
    {
        if (type.TypeKind == TypeKind.Enum && type is INamedTypeSymbol { EnumUnderlyingType: { } underlying })
        {
            return RawSize(underlying, known);
        }

        switch (type.SpecialType)
        {
            case SpecialType.System_Boolean:
            case SpecialType.System_Byte:
            case SpecialType.System_SByte:
                return 1;
            case SpecialType.System_Int16:
            case SpecialType.System_UInt16:
            case SpecialType.System_Char:
                return 2;
            case SpecialType.System_Int32:
            case SpecialType.System_UInt32:
            case SpecialType.System_Single:
                return 4;
            case SpecialType.System_Int64:
            case SpecialType.System_UInt64:
            case SpecialType.System_Double:
            case SpecialType.System_DateTime:
                return 8;
            case SpecialType.System_Decimal:
                return 16;
        }

        if (KnownTypeSymbols.Is(type, known.Guid) || KnownTypeSymbols.Is(type, known.Int128) || KnownTypeSymbols.Is(type, known.UInt128))
        {
            return 16;
        }

        if (KnownTypeSymbols.Is(type, known.TimeSpan) || KnownTypeSymbols.Is(type, known.TimeOnly))
        {
            return 8;
        }

        if (KnownTypeSymbols.Is(type, known.DateOnly))
        {
            return 4;
        }

        return KnownTypeSymbols.Is(type, known.Half) ? 2 : null;
    }

    private static EquatableArray<string> EnumMembers(ITypeSymbol type) =>
        type.GetMembers()
            .OfType<IFieldSymbol>()
            .Where(field => field.HasConstantValue)
            .Select(field => field.Name + " = " + Convert.ToString(field.ConstantValue, CultureInfo.InvariantCulture))
            .ToEquatableArray();

    // Raw values whose every bit pattern is valid, so arrays of them are copied in one block without checks.
    private static bool IsBlockCopyable(ITypeSymbol type, KnownTypeSymbols known) =>
        RawSize(type, known) is not null
        && type.SpecialType is not (SpecialType.System_Boolean or SpecialType.System_DateTime or SpecialType.System_Decimal)
        && !KnownTypeSymbols.Is(type, known.DateOnly) && !KnownTypeSymbols.Is(type, known.TimeOnly);

    private TypeModel Leaf(ITypeSymbol type, string key, TypeShape shape, int minimumSize) =>
        new(key, type.ToDisplayString(DisplayFormat), Identifier(key), shape, type.IsValueType, minimumSize, CollectionKind.None, null, null, default, default);

    private bool IsAccessible(INamedTypeSymbol type, string display, Location? location)
    {
        if (_compilation.IsSymbolAccessibleWithin(type, _compilation.Assembly))
        {
            return true;
        }

        Report(ContractRule.InaccessibleType, type.Locations.FirstOrDefault(l => l.IsInSource) ?? location, display,
            Keyword(type.DeclaredAccessibility) + (SymbolEqualityComparer.Default.Equals(type.ContainingAssembly, _compilation.Assembly) ? "" : " in another assembly"));
        return false;
    }

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

    // As the user wrote it: Accessibility's own names (ProtectedAndInternal) are not C#.
    private static string Keyword(Accessibility accessibility) => accessibility switch
    {
        Accessibility.ProtectedAndInternal => "private protected",
        Accessibility.ProtectedOrInternal => "protected internal",
        _ => accessibility.ToString().ToLowerInvariant(),
    };

    private TypeModel? Unsupported(string path, string display, string reason, Location? location)
    {
        Report(ContractRule.UnserializableType, location, _subject, path, display, reason);
        return null;
    }

    private void Report(ContractRule rule, Location? location, params string[] arguments) =>
        _report?.Invoke(new ContractProblem(rule, location, arguments));
}
