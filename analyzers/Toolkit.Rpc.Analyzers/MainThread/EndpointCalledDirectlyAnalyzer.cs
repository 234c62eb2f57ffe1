using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace Toolkit.Rpc.Analyzers;

/// <summary>
/// TK1006: endpoint code calls a gateway method on another endpoint's class instance (an expression whose type derives
/// from RpcEndpoint and is not <c>this</c>), so the call runs on the caller's thread instead of the callee's.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class EndpointCalledDirectlyAnalyzer : MainThreadAnalyzer
{
    public static readonly DiagnosticDescriptor Rule = MainThreadRule.Create(
        DiagnosticIds.EndpointCalledDirectly,
        "Endpoint called on its instance instead of its gateway",
        "'{0}' is called directly on endpoint instance '{1}', so it runs on the caller's thread instead of that endpoint's main thread; call it through its gateway '{2}' (GetGateway or GetSelfGateway)",
        "A gateway method called on the endpoint object itself bypasses its mailbox: it runs on the caller's thread, " +
        "concurrently with the endpoint's own calls, and skips the timeout, fencing and lifecycle checks. Get the " +
        "endpoint's gateway (RpcService.GetGateway, or GetSelfGateway on the endpoint) and call the method through it.");

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => [Rule];

    private protected override void Register(CompilationStartAnalysisContext start, MainThreadSymbols symbols)
    {
        start.RegisterOperationAction(operation => Analyze(operation, symbols), OperationKind.Invocation);
    }

    private static void Analyze(OperationAnalysisContext context, MainThreadSymbols symbols)
    {
        var invocation = (IInvocationOperation)context.Operation;
        if (invocation.Instance is not { Type: { } receiverType } instance
            || instance is IInstanceReferenceOperation
            || invocation.TargetMethod.IsStatic
            || !symbols.IsEndpoint(receiverType)
            || symbols.EndpointContaining(context.ContainingSymbol) is null
            || ImplementedGateway(invocation.TargetMethod, receiverType, symbols) is not { } gateway)
        {
            return;
        }

        Location location = invocation.Syntax is InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax access }
            ? access.Name.GetLocation()
            : invocation.Syntax.GetLocation();
        string method = invocation.TargetMethod.ContainingType.Name + "." + invocation.TargetMethod.Name;
        context.ReportDiagnostic(Diagnostic.Create(Rule, location, method, instance.Syntax.ToString(), gateway.Name));
    }

    private static INamedTypeSymbol? ImplementedGateway(IMethodSymbol method, ITypeSymbol receiverType, MainThreadSymbols symbols)
    {
        foreach (INamedTypeSymbol candidate in receiverType.AllInterfaces)
        {
            if (!symbols.IsGateway(candidate))
            {
                continue;
            }

            foreach (ISymbol member in candidate.GetMembers())
            {
                if (member is IMethodSymbol
                    && SymbolEqualityComparer.Default.Equals(receiverType.FindImplementationForInterfaceMember(member), method.OriginalDefinition))
                {
                    return candidate;
                }
            }
        }

        return null;
    }
}
