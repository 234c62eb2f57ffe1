using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace Toolkit.Rpc.Analyzers;

/// <summary>
/// TK1003: endpoint state (an instance field, property, event or method of the endpoint class) used in a lambda or
/// method group that <c>Task.Run</c>, <c>ThreadPool</c>, <c>Parallel</c>, a <c>System.Threading.Timer</c>, a
/// <c>Thread</c>, <c>TaskFactory.StartNew</c> or <c>ContinueWith</c> without the main-thread scheduler runs on
/// another thread. Lambdas nested inside it that go back to the main thread (<c>RunAsync</c>, <c>CallAsync</c>,
/// <c>ScheduleRunAsync</c>) are fine.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class StateTouchedOffMainThreadAnalyzer : MainThreadAnalyzer
{
    public static readonly DiagnosticDescriptor Rule = MainThreadRule.Create(
        DiagnosticIds.StateTouchedOffMainThread,
        "Endpoint state touched off the main thread",
        "'{0}' is state of endpoint '{1}' but is used in work that {2} runs on another thread; touch it through RunAsync, CallAsync or MainThreadScheduler",
        "Endpoint state needs no locks only because every call, callback and continuation of the endpoint runs on its " +
        "main thread, one at a time. A delegate run by Task.Run, ThreadPool, Parallel, a Timer, a Thread, or " +
        "StartNew/ContinueWith without the endpoint's MainThreadScheduler runs on another thread, concurrently with the " +
        "endpoint. Compute off the thread with local copies only, and touch endpoint state in RunAsync/CallAsync, after " +
        "an await, or in a continuation scheduled on MainThreadScheduler.");

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => [Rule];

    private protected override void Register(CompilationStartAnalysisContext start, MainThreadSymbols symbols)
    {
        start.RegisterOperationAction(operation => Analyze(operation, symbols), OperationKind.Invocation, OperationKind.ObjectCreation);
    }

    private static void Analyze(OperationAnalysisContext context, MainThreadSymbols symbols)
    {
        IOperation runner = context.Operation;
        ImmutableArray<IArgumentOperation> arguments = runner switch
        {
            IInvocationOperation invocation => invocation.Arguments,
            IObjectCreationOperation creation => creation.Arguments,
            _ => [],
        };
        if (arguments.IsEmpty
            || symbols.EndpointContaining(context.ContainingSymbol) is not { } endpoint
            || OffThreadWork.Describe(runner, symbols) is not { } api)
        {
            return;
        }

        foreach (IArgumentOperation argument in arguments)
        {
            switch (OffThreadWork.Unwrap(argument.Value))
            {
                case IAnonymousFunctionOperation function:
                    HashSet<ISymbol> reported = new(SymbolEqualityComparer.Default);
                    ReportStateIn(context, function.Body, symbols, endpoint, api, reported);
                    break;
                case IMethodReferenceOperation group when symbols.IsEndpointState(group.Method, group.Instance, endpoint):
                    context.ReportDiagnostic(Diagnostic.Create(Rule, group.Syntax.GetLocation(), group.Method.Name, endpoint.Name, api));
                    break;
                case IMethodReferenceOperation { Method.MethodKind: MethodKind.LocalFunction } group
                    when LocalFunction(runner, group.Method) is { Body: { } body }:
                    ReportStateIn(context, body, symbols, endpoint, api, new HashSet<ISymbol>(SymbolEqualityComparer.Default));
                    break;
            }
        }
    }

    private static void ReportStateIn(
        OperationAnalysisContext context, IOperation operation, MainThreadSymbols symbols, INamedTypeSymbol endpoint, string api, HashSet<ISymbol> reported)
    {
        if (operation is IAnonymousFunctionOperation nested && ReturnsToMainThread(nested, symbols))
        {
            return;
        }

        (ISymbol? member, IOperation? instance) = operation switch
        {
            IMemberReferenceOperation reference => (reference.Member, reference.Instance),
            IInvocationOperation invocation => (invocation.TargetMethod, invocation.Instance),
            _ => (null, null),
        };
        if (member is not null && symbols.IsEndpointState(member, instance, endpoint) && reported.Add(member))
        {
            context.ReportDiagnostic(Diagnostic.Create(Rule, NameLocation(operation.Syntax), member.Name, endpoint.Name, api));
        }

        foreach (IOperation child in operation.ChildOperations)
        {
            ReportStateIn(context, child, symbols, endpoint, api, reported);
        }
    }

    // The declaration of local function <paramref name="function"/>, searched in the member body around <paramref name="operation"/>.
    private static ILocalFunctionOperation? LocalFunction(IOperation operation, IMethodSymbol function)
    {
        IOperation root = operation;
        while (root.Parent is not null)
        {
            root = root.Parent;
        }

        foreach (IOperation descendant in root.Descendants())
        {
            if (descendant is ILocalFunctionOperation local && SymbolEqualityComparer.Default.Equals(local.Symbol, function.OriginalDefinition))
            {
                return local;
            }
        }

        return null;
    }

    // A lambda handed to RpcEndpoint.RunAsync/CallAsync/ScheduleRunAsync, or to ContinueWith/StartNew with the
    // main-thread scheduler, runs on the main thread again.
    private static bool ReturnsToMainThread(IAnonymousFunctionOperation function, MainThreadSymbols symbols) =>
        OffThreadWork.RunnerOf(function) is IInvocationOperation runner
        && (SymbolEqualityComparer.Default.Equals(runner.TargetMethod.ContainingType.OriginalDefinition, symbols.Endpoint)
            || runner.TargetMethod.Name is "ContinueWith" or "StartNew" && OffThreadWork.Describe(runner, symbols) is null);

    private static Location NameLocation(SyntaxNode syntax) => syntax switch
    {
        MemberAccessExpressionSyntax access => access.Name.GetLocation(),
        InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax access } => access.Name.GetLocation(),
        InvocationExpressionSyntax invocation => invocation.Expression.GetLocation(),
        _ => syntax.GetLocation(),
    };
}
