using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Toolkit.Rpc.Generators.Emitting;
using Toolkit.Rpc.Generators.Model;
using Toolkit.Rpc.Generators.Parsing;

namespace Toolkit.Rpc.Generators;

/// <summary>
/// Emits, for every <c>[RpcGateway]</c> interface, serializers for each reachable type, a proxy, invocation
/// structs with stable method ids and a dispatch table, plus dispatch-table registrations for endpoint classes,
/// all registered at module load. Parse (symbols → equatable models) and emit (models → source) are separate
/// steps so that edits that do not change a model leave its output cached. It reports no diagnostics: contract
/// errors are the analyzers' job.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed partial class RpcGenerator : IIncrementalGenerator
{
    /// <summary>Names of the pipeline steps, for tests that check incremental caching.</summary>
    public static class TrackingNames
    {
        public const string ParsedGateways = nameof(ParsedGateways);
        public const string GatewayModels = nameof(GatewayModels);
        public const string AllGatewayModels = nameof(AllGatewayModels);
        public const string Endpoints = nameof(Endpoints);
        public const string AllEndpoints = nameof(AllEndpoints);
        public const string GeneratedNamespace = nameof(GeneratedNamespace);
    }

    /// <inheritdoc />
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        // Resolved once per compilation, as System.Text.Json's generator does, and shared by every parse.
        IncrementalValueProvider<KnownTypeSymbols> knownTypes = context.CompilationProvider
            .Select(static (compilation, _) => new KnownTypeSymbols(compilation));

        // A gateway that breaks a contract rule parses to null and is skipped: the analyzers (Toolkit.Rpc.Analyzers,
        // sharing ContractWalker) tell the user why, so the generator reports nothing and never emits broken code.
        IncrementalValuesProvider<GatewayModel?> parsed = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                KnownNames.GatewayAttribute,
                static (node, _) => node is InterfaceDeclarationSyntax,
                static (syntax, _) => syntax.TargetSymbol)
            .Combine(knownTypes)
            .Select(static (pair, cancellation) => Parser.ParseGateway(pair.Left, pair.Right, cancellation))
            .WithTrackingName(TrackingNames.ParsedGateways);

        IncrementalValuesProvider<GatewayModel> gateways = parsed
            .Where(static gateway => gateway is not null)
            .Select(static (gateway, _) => gateway!)
            .WithTrackingName(TrackingNames.GatewayModels);

        IncrementalValueProvider<string> generatedNamespace = context.CompilationProvider
            .Select(static (compilation, _) => GeneratedFiles.Namespace(compilation.AssemblyName ?? "Assembly"))
            .WithTrackingName(TrackingNames.GeneratedNamespace);

        context.RegisterSourceOutput(gateways.Combine(generatedNamespace), static (output, pair) => Emitter.EmitGateway(output, pair.Left, pair.Right));

        IncrementalValueProvider<ImmutableArray<GatewayModel>> allGateways = gateways.Collect().WithTrackingName(TrackingNames.AllGatewayModels);

        IncrementalValueProvider<ImmutableArray<EndpointModel>> endpoints = context.SyntaxProvider
            .CreateSyntaxProvider(
                static (node, _) => node is ClassDeclarationSyntax { BaseList: not null },
                static (syntax, cancellation) => syntax.SemanticModel.GetDeclaredSymbol(syntax.Node, cancellation))
            .Combine(knownTypes)
            .Select(static (pair, _) => Parser.ParseEndpoint(pair.Left, pair.Right))
            .Where(static endpoint => endpoint is not null)
            .Select(static (endpoint, _) => endpoint!)
            .WithTrackingName(TrackingNames.Endpoints)
            .Collect()
            .WithTrackingName(TrackingNames.AllEndpoints);

        context.RegisterSourceOutput(allGateways.Combine(endpoints).Combine(generatedNamespace), static (output, input) =>
            Emitter.EmitModule(output, input.Left.Left, input.Left.Right, input.Right));
    }
}
