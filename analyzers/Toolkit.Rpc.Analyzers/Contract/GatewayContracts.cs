using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using System.Threading;
using Microsoft.CodeAnalysis;
using Toolkit.Rpc.Generators;
using Toolkit.Rpc.Generators.Parsing;

namespace Toolkit.Rpc.Analyzers.Contract;

/// <summary>
/// The contract problems of each gateway of one compilation, found once and shared by every contract analyzer, so
/// that eleven rules cost one walk of the gateway's type graph rather than eleven.
/// </summary>
internal sealed class GatewayContracts
{
    // Keyed weakly by the compilation, so that a compilation the host has dropped takes its problems with it.
    private static readonly ConditionalWeakTable<Compilation, GatewayContracts> ByCompilation = new();

    private readonly ConcurrentDictionary<INamedTypeSymbol, Lazy<ImmutableArray<ContractProblem>>> _problems = new(SymbolEqualityComparer.Default);

    private GatewayContracts(Compilation compilation) => Known = new KnownTypeSymbols(compilation);

    /// <summary>The compilation's known types, resolved once for every gateway and analyzer.</summary>
    public KnownTypeSymbols Known { get; }

    public static GatewayContracts Of(Compilation compilation) => ByCompilation.GetValue(compilation, static created => new GatewayContracts(created));

    public ImmutableArray<ContractProblem> ProblemsOf(INamedTypeSymbol gateway, CancellationToken cancellation)
    {
        while (true)
        {
            // One analyzer walks while the others wait for its result instead of walking the same graph beside it.
            Lazy<ImmutableArray<ContractProblem>> problems = _problems.GetOrAdd(
                gateway,
                key => new Lazy<ImmutableArray<ContractProblem>>(() => Check(key, cancellation), LazyThreadSafetyMode.ExecutionAndPublication));
            try
            {
                return problems.Value;
            }
            catch (OperationCanceledException)
            {
                // A cancelled walk is not a result: forget it, and walk again unless it is this caller that was cancelled.
                ((ICollection<KeyValuePair<INamedTypeSymbol, Lazy<ImmutableArray<ContractProblem>>>>)_problems).Remove(
                    new KeyValuePair<INamedTypeSymbol, Lazy<ImmutableArray<ContractProblem>>>(gateway, problems));
                cancellation.ThrowIfCancellationRequested();
            }
        }
    }

    private ImmutableArray<ContractProblem> Check(INamedTypeSymbol gateway, CancellationToken cancellation) =>
        ContractWalker.Walk(gateway, Known, cancellation).Problems.ToImmutableArray();
}
