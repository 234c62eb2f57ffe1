using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using Toolkit.Rpc.Generators;

namespace Toolkit.Rpc.Analyzers;

/// <summary>
/// TK1009: an endpoint implements an [RpcFenced] gateway without deriving from FencedRpcEndpoint, so nothing checks
/// the epoch its calls carry. TK1010: an [RpcFenced] gateway is obtained (ConnectAsync, GetRemoteGateway, GetGateway,
/// GetSelfGateway, ResolveGateway) and not given an epoch with WithEpoch in the same expression, so its fenced calls
/// will be refused.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class FencingAnalyzer : MainThreadAnalyzer
{
    public static readonly DiagnosticDescriptor UnfencedEndpointRule = MainThreadRule.Create(
        DiagnosticIds.FencedGatewayOnUnfencedEndpoint,
        "Fenced gateway on an endpoint that does not fence",
        "Endpoint '{0}' implements fenced gateway '{1}' but does not derive from FencedRpcEndpoint, so nothing checks the epoch its calls carry; derive from FencedRpcEndpoint and set the epoch when leadership is granted",
        "An [RpcFenced] gateway's calls carry the caller's view of the leader epoch, and only a FencedRpcEndpoint compares " +
        "it with its own: on any other endpoint a deposed leader's calls would run. Derive the endpoint from " +
        "FencedRpcEndpoint and call SetEpoch when leadership is granted and revoked.");

    public static readonly DiagnosticDescriptor NoEpochRule = MainThreadRule.Create(
        DiagnosticIds.FencedGatewayWithoutEpoch,
        "Fenced gateway obtained without an epoch",
        "'{0}' is fenced: its calls without an epoch are refused with RpcFencingException; attach the leader's epoch in the same expression with .WithEpoch(epoch)",
        "Calls of an [RpcFenced] gateway run only when they carry the epoch the endpoint leads in. A gateway obtained " +
        "from ConnectAsync, GetRemoteGateway, GetGateway, GetSelfGateway or ResolveGateway carries none until WithEpoch " +
        "gives it one (from leader retrieval or the grant of leadership). Methods marked [RpcUnfenced] need none; where " +
        "only those are called, or the epoch is attached later on purpose, suppress this warning.");

    private static readonly ImmutableHashSet<string> Acquisitions =
        ImmutableHashSet.Create("ConnectAsync", "GetRemoteGateway", "GetGateway", "GetSelfGateway", "ResolveGateway");

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => [UnfencedEndpointRule, NoEpochRule];

    private protected override void Register(CompilationStartAnalysisContext start, MainThreadSymbols symbols)
    {
        if (start.Compilation.GetTypeByMetadataName(KnownNames.FencedAttribute) is not { } fenced)
        {
            return;
        }

        INamedTypeSymbol? fencedEndpoint = start.Compilation.GetTypeByMetadataName(KnownNames.FencedEndpoint);
        start.RegisterSymbolAction(context => AnalyzeEndpoint(context, symbols, fenced, fencedEndpoint), SymbolKind.NamedType);
        start.RegisterOperationAction(context => AnalyzeAcquisition(context, fenced), OperationKind.Invocation);
    }

    private static void AnalyzeEndpoint(SymbolAnalysisContext context, MainThreadSymbols symbols, INamedTypeSymbol fenced, INamedTypeSymbol? fencedEndpoint)
    {
        var type = (INamedTypeSymbol)context.Symbol;
        if (type.TypeKind != TypeKind.Class || !symbols.IsEndpoint(type) || DerivesFrom(type, fencedEndpoint))
        {
            return;
        }

        foreach (INamedTypeSymbol candidate in type.AllInterfaces)
        {
            if (IsFenced(candidate, fenced))
            {
                context.ReportDiagnostic(Diagnostic.Create(UnfencedEndpointRule, type.Locations.FirstOrDefault(), type.Name, candidate.Name));
                return;
            }
        }
    }

    private static void AnalyzeAcquisition(OperationAnalysisContext context, INamedTypeSymbol fenced)
    {
        var invocation = (IInvocationOperation)context.Operation;
        IMethodSymbol method = invocation.TargetMethod;
        if (!method.IsGenericMethod
            || method.TypeArguments.Length != 1
            || !Acquisitions.Contains(method.Name)
            || method.ContainingNamespace?.ToDisplayString() != "Toolkit.Rpc"
            || method.TypeArguments[0] is not INamedTypeSymbol gateway
            || !IsFenced(gateway, fenced)
            || GetsEpoch(invocation))
        {
            return;
        }

        context.ReportDiagnostic(Diagnostic.Create(NoEpochRule, invocation.Syntax.GetLocation(), gateway.Name));
    }

    // The value flows, through await, parentheses and conversions, straight into WithEpoch.
    private static bool GetsEpoch(IOperation operation)
    {
        IOperation current = operation;
        while (current.Parent is IAwaitOperation or IParenthesizedOperation or IConversionOperation or IArgumentOperation)
        {
            current = current.Parent;
        }

        return current.Parent is IInvocationOperation { TargetMethod.Name: "WithEpoch" } withEpoch
            && withEpoch.TargetMethod.ContainingType?.Name == "RpcGatewayExtensions";
    }

    private static bool IsFenced(INamedTypeSymbol gateway, INamedTypeSymbol fenced)
    {
        foreach (AttributeData attribute in gateway.GetAttributes())
        {
            if (SymbolEqualityComparer.Default.Equals(attribute.AttributeClass, fenced))
            {
                return true;
            }
        }

        return false;
    }

    private static bool DerivesFrom(INamedTypeSymbol type, INamedTypeSymbol? baseType)
    {
        for (INamedTypeSymbol? current = type.BaseType; current is not null && baseType is not null; current = current.BaseType)
        {
            if (SymbolEqualityComparer.Default.Equals(current.OriginalDefinition, baseType))
            {
                return true;
            }
        }

        return false;
    }
}
