using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Toolkit.Rpc.Generators.Model;

namespace Toolkit.Rpc.Generators.Parsing;

/// <summary>
/// The rules for a gateway method: what it returns, its parameters (by value; the [RpcTimeout] TimeSpan and the
/// CancellationToken last), its [RpcTimeout] milliseconds and its [RpcFault] types.
/// </summary>
internal static class MethodRules
{
    public static MethodModel? Method(ContractWalker walker, INamedTypeSymbol declaring, IMethodSymbol method, bool fenced)
    {
        Location? location = method.Locations.FirstOrDefault();
        string methodDisplay = $"{declaring.Name}.{method.Name}";
        bool ok = true;
        (ReturnKind? kind, ITypeSymbol? result) = ReturnOf(walker.Known, method.ReturnType);
        string? resultKey = null;
        if (kind is null)
        {
            walker.Report(ContractRule.UnsupportedReturnType, ReturnTypeLocation(walker, method) ?? location, methodDisplay, SymbolNames.Display(method.ReturnType));
            ok = false;
        }
        else if (result is not null && kind != ReturnKind.Stream && StreamRules.IsStream(walker.Known, result))
        {
            walker.Report(ContractRule.MisplacedStream, ReturnTypeLocation(walker, method) ?? location, methodDisplay, "it returns a task of an IAsyncEnumerable<T>: return the IAsyncEnumerable<T> itself");
            ok = false;
        }
        else if (result is not null && ByteStreamRules.IsByteStream(walker.Known, result))
        {
            resultKey = ByteStreamRules.Result(walker, result, kind.Value, methodDisplay, ReturnTypeLocation(walker, method) ?? location);
            ok &= resultKey is not null;
        }
        else if (result is not null)
        {
            walker.Subject = $"The result of {methodDisplay}";
            resultKey = walker.TypeKey(result, result.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat), ReturnTypeLocation(walker, method) ?? location);
            ok &= resultKey is not null;
        }

        List<ParameterModel> parameters = Parameters(walker, method, methodDisplay, location, kind == ReturnKind.Void, ref ok);
        int? timeout = TimeoutMilliseconds(walker, method, methodDisplay, location, ref ok);
        if (kind == ReturnKind.Stream)
        {
            ok &= StreamRules.Check(walker, method, methodDisplay, location, parameters, timeout);
        }

        List<string> faults = Faults(walker, declaring, method, methodDisplay, location, ref ok);
        if (!ok)
        {
            return null;
        }

        string signature = $"{method.Name}({string.Join(",", parameters.Where(p => p.Role == ParameterRole.Argument).Select(p => p.Type))})";
        int id = StableHash.Of32(signature);
        return new MethodModel
        {
            Name = method.Name,
            DeclaringInterface = SymbolNames.Key(declaring),
            Id = id,
            Identifier = method.Name + "_" + unchecked((uint)id).ToString("X8", CultureInfo.InvariantCulture),
            ReturnKind = kind!.Value,
            ReturnType = SymbolNames.Key(method.ReturnType),
            ResultType = resultKey,
            TimeoutMilliseconds = timeout,
            Parameters = parameters.ToEquatableArray(),
            Faults = faults.ToEquatableArray(),
            IsFenced = fenced && !KnownTypeSymbols.HasAttribute(method, walker.Known.UnfencedAttribute),
        };
    }

    private static List<ParameterModel> Parameters(ContractWalker walker, IMethodSymbol method, string methodDisplay, Location? location, bool oneWay, ref bool ok)
    {
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
                walker.Report(ContractRule.UnsupportedParameter, parameterLocation, parameter.Name, methodDisplay, how);
                ok = false;
                continue;
            }

            string name = SymbolNames.EscapeIdentifier(parameter.Name);
            if (StreamRules.IsStream(walker.Known, parameter.Type))
            {
                walker.Report(ContractRule.MisplacedStream, parameterLocation, methodDisplay, $"parameter '{parameter.Name}' is an IAsyncEnumerable<T>: item streams travel only as a method's result");
                ok = false;
                continue;
            }

            if (KnownTypeSymbols.Is(parameter.Type, walker.Known.CancellationToken))
            {
                if (seenCancellation)
                {
                    walker.Report(ContractRule.MisplacedSpecialParameter, parameterLocation, methodDisplay, "it takes more than one CancellationToken");
                    ok = false;
                }

                seenSpecial = seenCancellation = true;
                firstSpecial ??= parameterLocation;
                parameters.Add(new ParameterModel { Name = name, Type = SymbolNames.Key(parameter.Type), Role = ParameterRole.Cancellation });
                continue;
            }

            if (KnownTypeSymbols.HasAttribute(parameter, walker.Known.TimeoutAttribute))
            {
                if (!KnownTypeSymbols.Is(parameter.Type, walker.Known.TimeSpan))
                {
                    walker.Report(ContractRule.MisplacedSpecialParameter, parameterLocation, methodDisplay, $"[RpcTimeout] parameter '{parameter.Name}' is not a TimeSpan");
                    ok = false;
                }
                else if (seenTimeout || seenCancellation)
                {
                    walker.Report(ContractRule.MisplacedSpecialParameter, parameterLocation, methodDisplay, seenTimeout
                        ? "it takes more than one [RpcTimeout] parameter"
                        : "the [RpcTimeout] parameter must come before the CancellationToken");
                    ok = false;
                }

                seenSpecial = seenTimeout = true;
                firstSpecial ??= parameterLocation;
                parameters.Add(new ParameterModel { Name = name, Type = SymbolNames.Key(parameter.Type), Role = ParameterRole.Timeout });
                continue;
            }

            if (seenSpecial)
            {
                walker.Report(ContractRule.MisplacedSpecialParameter, parameterLocation, methodDisplay, $"argument '{parameter.Name}' follows the timeout or cancellation parameter; those come last");
                ok = false;
            }

            if (ByteStreamRules.IsByteStream(walker.Known, parameter.Type))
            {
                string? streamKey = ByteStreamRules.Parameter(walker, parameter, methodDisplay, parameterLocation, oneWay);
                ok &= streamKey is not null;
                parameters.Add(new ParameterModel { Name = name, Type = streamKey ?? "", Role = ParameterRole.Argument });
                continue;
            }

            walker.Subject = $"Parameter '{parameter.Name}' of {methodDisplay}";
            string? key = walker.TypeKey(parameter.Type, parameter.Type.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat), parameterLocation);
            ok &= key is not null;
            parameters.Add(new ParameterModel { Name = name, Type = key ?? "", Role = ParameterRole.Argument });
        }

        if (oneWay && seenSpecial)
        {
            walker.Report(ContractRule.MisplacedSpecialParameter, firstSpecial ?? location, methodDisplay, "one-way (void) methods never wait, so they take no timeout or CancellationToken");
            ok = false;
        }

        return parameters;
    }

    private static int? TimeoutMilliseconds(ContractWalker walker, IMethodSymbol method, string methodDisplay, Location? location, ref bool ok)
    {
        AttributeData? timeoutAttribute = KnownTypeSymbols.Attribute(method, walker.Known.TimeoutAttribute);
        if (timeoutAttribute is { ConstructorArguments.Length: 1 } && timeoutAttribute.ConstructorArguments[0].Value is int milliseconds)
        {
            if (milliseconds <= 0)
            {
                walker.Report(ContractRule.TimeoutWithoutMilliseconds, AttributeLocation(walker, timeoutAttribute) ?? location, methodDisplay, $"{milliseconds} milliseconds");
                ok = false;
            }

            return milliseconds;
        }

        if (timeoutAttribute is not null)
        {
            walker.Report(ContractRule.TimeoutWithoutMilliseconds, AttributeLocation(walker, timeoutAttribute) ?? location, methodDisplay, "no milliseconds");
            ok = false;
        }

        return null;
    }

    // The method's own [RpcFault] types, then its interface's, each once; a type that is no exception breaks the rule.
    private static List<string> Faults(ContractWalker walker, INamedTypeSymbol declaring, IMethodSymbol method, string methodDisplay, Location? location, ref bool ok)
    {
        List<string> faults = new();
        foreach (AttributeData attribute in method.GetAttributes().Concat(declaring.GetAttributes()))
        {
            if (!KnownTypeSymbols.Is(attribute.AttributeClass, walker.Known.FaultAttribute) || attribute.ConstructorArguments.Length != 1 || attribute.ConstructorArguments[0].Value is not ITypeSymbol type)
            {
                continue;
            }

            Location? attributeLocation = AttributeLocation(walker, attribute) ?? location;
            bool isException = KnownTypeSymbols.Is(type, walker.Known.Exception) || KnownTypeSymbols.DerivesFrom(type, walker.Known.Exception);
            if (!isException || type.IsAbstract)
            {
                walker.Report(ContractRule.InvalidFault, attributeLocation, SymbolNames.Display(type), methodDisplay,
                    type.IsAbstract && isException ? "it is abstract: the caller could not create it" : "it does not derive from System.Exception");
                ok = false;
                continue;
            }

            walker.Subject = $"Fault {type.Name} of {methodDisplay}";
            string? key = walker.TypeKey(type, type.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat), attributeLocation);
            ok &= key is not null;
            if (key is not null && !faults.Contains(key))
            {
                faults.Add(key);
            }
        }

        return faults;
    }

    /// <summary>How a method returns, and the result type of Task&lt;T&gt; and ValueTask&lt;T&gt;; no kind when it returns anything else.</summary>
    private static (ReturnKind? Kind, ITypeSymbol? Result) ReturnOf(KnownTypeSymbols known, ITypeSymbol type)
    {
        if (type.SpecialType == SpecialType.System_Void)
        {
            return (ReturnKind.Void, null);
        }

        if (type is INamedTypeSymbol named)
        {
            INamedTypeSymbol definition = named.ConstructedFrom;
            if (KnownTypeSymbols.Is(definition, known.Task))
            {
                return (ReturnKind.Task, null);
            }

            if (KnownTypeSymbols.Is(definition, known.ValueTask))
            {
                return (ReturnKind.ValueTask, null);
            }

            if (KnownTypeSymbols.Is(definition, known.TaskOfT))
            {
                return (ReturnKind.TaskOfT, named.TypeArguments[0]);
            }

            if (KnownTypeSymbols.Is(definition, known.ValueTaskOfT))
            {
                return (ReturnKind.ValueTaskOfT, named.TypeArguments[0]);
            }

            if (KnownTypeSymbols.Is(definition, known.AsyncEnumerable))
            {
                return (ReturnKind.Stream, named.TypeArguments[0]);
            }
        }

        return (null, null);
    }

    // Syntax is looked up for a precise location: the return type rather than the method name, the attribute rather than the method.
    private static Location? ReturnTypeLocation(ContractWalker walker, IMethodSymbol method) =>
        method.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax(walker.Cancellation) is MethodDeclarationSyntax declaration
            ? declaration.ReturnType.GetLocation()
            : null;

    private static Location? AttributeLocation(ContractWalker walker, AttributeData attribute) =>
        attribute.ApplicationSyntaxReference?.GetSyntax(walker.Cancellation).GetLocation();
}
