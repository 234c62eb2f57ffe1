using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace Toolkit.Rpc.Analyzers;

/// <summary>
/// TK1007: in endpoint code, the Task or ValueTask returned by a gateway call is dropped — the call is a statement of
/// its own, neither awaited, assigned (a discard counts as a decision), returned nor passed on.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class DroppedGatewayTaskAnalyzer : MainThreadAnalyzer
{
    public static readonly DiagnosticDescriptor Rule = MainThreadRule.Create(
        DiagnosticIds.DroppedGatewayTask,
        "Gateway call task dropped",
        "The task returned by gateway call '{0}' is dropped, so its failure or timeout goes unnoticed; await it, or keep it and await it later",
        "A request/response gateway call reports a remote exception, a timeout, an unavailable endpoint or a " +
        "serialization error only through the task it returns. Dropping that task loses the error and the result, and " +
        "the code after the call cannot tell whether it happened. Await the call; for fire-and-forget, declare the " +
        "gateway method void (a one-way tell), or assign the task to a discard to say that its outcome does not matter.");

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => [Rule];

    private protected override void Register(CompilationStartAnalysisContext start, MainThreadSymbols symbols)
    {
        start.RegisterOperationAction(operation => Analyze(operation, symbols), OperationKind.Invocation);
    }

    private static void Analyze(OperationAnalysisContext context, MainThreadSymbols symbols)
    {
        var invocation = (IInvocationOperation)context.Operation;
        IMethodSymbol method = invocation.TargetMethod;
        if (!IsDropped(invocation)
            || symbols.EndpointContaining(context.ContainingSymbol) is null
            || !symbols.IsGatewayCall(invocation)
            || !symbols.IsTaskType(method.ReturnType))
        {
            return;
        }

        context.ReportDiagnostic(Diagnostic.Create(Rule, invocation.Syntax.GetLocation(), method.ContainingType.Name + "." + method.Name));
    }

    private static bool IsDropped(IInvocationOperation invocation)
    {
        IOperation? parent = invocation.Parent;
        if (parent is IConditionalAccessOperation access && access.WhenNotNull == invocation)
        {
            parent = access.Parent;
        }

        return parent is IExpressionStatementOperation;
    }
}
