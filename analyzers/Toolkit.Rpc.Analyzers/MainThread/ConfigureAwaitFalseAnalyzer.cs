using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using Microsoft.CodeAnalysis.Text;

namespace Toolkit.Rpc.Analyzers;

/// <summary>
/// TK1002: <c>ConfigureAwait(false)</c> (or <c>ConfigureAwaitOptions</c> without <c>ContinueOnCapturedContext</c>) in
/// endpoint code, on a task, a value task or an async stream.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class ConfigureAwaitFalseAnalyzer : MainThreadAnalyzer
{
    public static readonly DiagnosticDescriptor Rule = MainThreadRule.Create(
        DiagnosticIds.ConfigureAwaitFalse,
        "ConfigureAwait(false) in an endpoint",
        "'{0}' is awaited with {1}, so the code after the await leaves the main thread of endpoint '{2}'; remove the ConfigureAwait call",
        "An endpoint's awaits resume on its main thread through its synchronization context. ConfigureAwait(false) " +
        "drops that context, so the code after the await runs on a thread-pool thread, concurrently with the endpoint's " +
        "other calls, and any endpoint state it touches races. Remove ConfigureAwait(false) in endpoint code.");

    // ConfigureAwaitOptions.ContinueOnCapturedContext.
    private const int ContinueOnCapturedContext = 1;

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => [Rule];

    private protected override void Register(CompilationStartAnalysisContext start, MainThreadSymbols symbols)
    {
        start.RegisterOperationAction(operation => Analyze(operation, symbols), OperationKind.Invocation);
    }

    private static void Analyze(OperationAnalysisContext context, MainThreadSymbols symbols)
    {
        var invocation = (IInvocationOperation)context.Operation;
        if (invocation.TargetMethod.Name != "ConfigureAwait"
            || !LeavesContext(invocation)
            || invocation.Syntax is not InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax access } syntax
            || symbols.EndpointContaining(context.ContainingSymbol) is not { } endpoint
            || OffThreadWork.IsInsideOffThreadDelegate(invocation, symbols))
        {
            return;
        }

        Location location = Location.Create(syntax.SyntaxTree, TextSpan.FromBounds(access.Name.SpanStart, syntax.Span.End));
        string call = syntax.ToString().Substring(access.Name.SpanStart - syntax.SpanStart);
        context.ReportDiagnostic(Diagnostic.Create(Rule, location, access.Expression.ToString(), call, endpoint.Name));
    }

    private static bool LeavesContext(IInvocationOperation invocation)
    {
        foreach (IArgumentOperation argument in invocation.Arguments)
        {
            if (argument.Parameter is not { } parameter || argument.Value.ConstantValue is not { HasValue: true, Value: { } value })
            {
                continue;
            }

            if (parameter.Type.SpecialType == SpecialType.System_Boolean && value is false)
            {
                return true;
            }

            if (parameter.Type is INamedTypeSymbol { TypeKind: TypeKind.Enum, Name: "ConfigureAwaitOptions" }
                && (System.Convert.ToInt32(value, System.Globalization.CultureInfo.InvariantCulture) & ContinueOnCapturedContext) == 0)
            {
                return true;
            }
        }

        return false;
    }
}
