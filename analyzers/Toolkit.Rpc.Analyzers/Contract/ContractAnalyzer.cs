using System;
using System.Collections.Concurrent;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Toolkit.Rpc.Generators;
using Toolkit.Rpc.Generators.Parsing;

namespace Toolkit.Rpc.Analyzers.Contract;

/// <summary>
/// Reports one contract rule on every <c>[RpcGateway]</c> interface of the compilation. The walk itself is the
/// generator's (<see cref="ContractWalker"/>, linked into this assembly) and runs once per gateway for all contract
/// analyzers together (<see cref="GatewayContracts"/>); each analyzer reports the problems of its own rule.
/// </summary>
public abstract class ContractAnalyzer : DiagnosticAnalyzer
{
    internal const string Category = "Toolkit.Contract";

    internal const string HelpLinkBase = "https://github.com/toolkit-rpc/toolkit/blob/main/docs/diagnostics.md#";

    private readonly ContractRule _rule;
    private readonly DiagnosticDescriptor _descriptor;

    private protected ContractAnalyzer(ContractRule rule, DiagnosticDescriptor descriptor)
    {
        _rule = rule;
        _descriptor = descriptor;
        SupportedDiagnostics = ImmutableArray.Create(descriptor);
    }

    /// <inheritdoc />
    public sealed override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; }

    /// <inheritdoc />
    public sealed override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            GatewayContracts contracts = GatewayContracts.Of(start.Compilation);
            if (contracts.Known.GatewayAttribute is not { } gatewayAttribute)
            {
                return;
            }

            // A message type reachable from several gateways breaks its rule once, so it is reported once.
            ConcurrentDictionary<string, byte> reported = new(StringComparer.Ordinal);
            start.RegisterSymbolAction(symbolContext => AnalyzeGateway(symbolContext, gatewayAttribute, contracts, reported), SymbolKind.NamedType);
        });
    }

    private void AnalyzeGateway(SymbolAnalysisContext context, INamedTypeSymbol gatewayAttribute, GatewayContracts contracts, ConcurrentDictionary<string, byte> reported)
    {
        if (context.Symbol is not INamedTypeSymbol { TypeKind: TypeKind.Interface } gateway || !IsGateway(gateway, gatewayAttribute))
        {
            return;
        }

        foreach (ContractProblem problem in contracts.ProblemsOf(gateway, context.CancellationToken))
        {
            if (problem.Rule != _rule)
            {
                continue;
            }

            Location location = problem.Location is { IsInSource: true } source ? source : Location.None;
            string key = $"{location.SourceTree?.FilePath}|{location.SourceSpan}|{string.Join("\u001f", problem.Arguments)}";
            if (reported.TryAdd(key, 0))
            {
                context.ReportDiagnostic(Diagnostic.Create(_descriptor, location, problem.Arguments));
            }
        }
    }

    private static bool IsGateway(INamedTypeSymbol type, INamedTypeSymbol gatewayAttribute)
    {
        foreach (AttributeData attribute in type.GetAttributes())
        {
            if (SymbolEqualityComparer.Default.Equals(attribute.AttributeClass, gatewayAttribute))
            {
                return true;
            }
        }

        return false;
    }
}
