using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using Microsoft.CodeAnalysis.Text;

namespace Toolkit.Rpc.Analyzers;

/// <summary>
/// TK1001: a blocking wait in endpoint code — <c>.Result</c>, <c>Wait()</c>, <c>GetAwaiter().GetResult()</c>,
/// <c>Task.WaitAll/WaitAny</c>, <c>Thread.Sleep/Join</c>, or a wait on a synchronization primitive. Waits inside
/// delegates that run on another thread (e.g. <c>Task.Run</c>) do not block the main thread and are left alone.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class BlockingWaitAnalyzer : MainThreadAnalyzer
{
    public const string AwaitTheTask = "await the task instead";
    private const string AwaitDelay = "await Task.Delay instead";
    private const string AwaitWhenAll = "await Task.WhenAll instead";
    private const string AwaitWhenAny = "await Task.WhenAny instead";
    private const string AwaitSignal = "await an asynchronous signal (a TaskCompletionSource or SemaphoreSlim.WaitAsync) instead";

    public static readonly DiagnosticDescriptor Rule = MainThreadRule.Create(
        DiagnosticIds.BlockingWait,
        "Blocking wait in an endpoint",
        "'{0}' blocks the main thread of endpoint '{1}'; {2}",
        "A blocking wait stalls the endpoint's main thread: no other call, callback or continuation of the endpoint runs " +
        "until it returns, and if the awaited work needs the main thread itself (a call back into this endpoint, a " +
        "continuation) it deadlocks. Await the task (or Task.Delay, Task.WhenAll, an asynchronous signal) instead.");

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => [Rule];

    private protected override void Register(CompilationStartAnalysisContext start, MainThreadSymbols symbols)
    {
        start.RegisterOperationAction(operation => AnalyzeResult(operation, symbols), OperationKind.PropertyReference);
        start.RegisterOperationAction(operation => AnalyzeInvocation(operation, symbols), OperationKind.Invocation);
    }

    private static void AnalyzeResult(OperationAnalysisContext context, MainThreadSymbols symbols)
    {
        var reference = (IPropertyReferenceOperation)context.Operation;
        IPropertySymbol property = reference.Property;
        if (property.Name != "Result"
            || !symbols.IsTaskType(property.ContainingType)
            || IsCompletedAntecedent(reference.Instance)
            || symbols.EndpointContaining(context.ContainingSymbol) is not { } endpoint
            || OffThreadWork.IsInsideOffThreadDelegate(reference, symbols))
        {
            return;
        }

        Location location = reference.Syntax switch
        {
            MemberAccessExpressionSyntax access => access.Name.GetLocation(),
            MemberBindingExpressionSyntax binding => binding.Name.GetLocation(),
            _ => reference.Syntax.GetLocation(),
        };
        context.ReportDiagnostic(Diagnostic.Create(Rule, location, Display(property), endpoint.Name, AwaitTheTask));
    }

    private static void AnalyzeInvocation(OperationAnalysisContext context, MainThreadSymbols symbols)
    {
        var invocation = (IInvocationOperation)context.Operation;
        IMethodSymbol method = invocation.TargetMethod;
        if (symbols.EndpointContaining(context.ContainingSymbol) is not { } endpoint
            || Remedy(invocation) is not { } remedy
            || IsCompletedAntecedent(invocation.Instance is IInvocationOperation { TargetMethod.Name: "GetAwaiter" } getAwaiter ? getAwaiter.Instance : invocation.Instance)
            || OffThreadWork.IsInsideOffThreadDelegate(invocation, symbols))
        {
            return;
        }

        context.ReportDiagnostic(Diagnostic.Create(Rule, LocationOf(invocation), Display(method), endpoint.Name, remedy));
    }

    private static string? Remedy(IInvocationOperation invocation)
    {
        IMethodSymbol method = invocation.TargetMethod;
        switch (OffThreadWork.FullName(method.ContainingType))
        {
            case "System.Threading.Tasks.Task" when method.Name == "Wait" && !IsZeroTimeout(invocation):
                return AwaitTheTask;
            case "System.Threading.Tasks.Task" when method.Name == "WaitAll":
                return AwaitWhenAll;
            case "System.Threading.Tasks.Task" when method.Name == "WaitAny":
                return AwaitWhenAny;
            case "System.Runtime.CompilerServices.TaskAwaiter" or "System.Runtime.CompilerServices.ValueTaskAwaiter"
                or "System.Runtime.CompilerServices.ConfiguredTaskAwaiter" or "System.Runtime.CompilerServices.ConfiguredValueTaskAwaiter" when method.Name == "GetResult":
                return AwaitTheTask;
            case "System.Threading.Thread" when method.Name == "Sleep" && !IsZeroTimeout(invocation):
                return AwaitDelay;
            case "System.Threading.Thread" when method.Name == "Join":
                return AwaitSignal;
            case "System.Threading.ManualResetEventSlim" or "System.Threading.SemaphoreSlim" or "System.Threading.CountdownEvent"
                when method.Name == "Wait" && !IsZeroTimeout(invocation):
                return AwaitSignal;
            case "System.Threading.WaitHandle" when method.Name is "WaitOne" or "WaitAll" or "WaitAny" && !IsZeroTimeout(invocation):
                return AwaitSignal;
            case "System.Threading.Barrier" when method.Name == "SignalAndWait":
                return AwaitSignal;
            default:
                return null;
        }
    }

    // The task a ContinueWith continuation receives has completed: reading its result does not wait.
    private static bool IsCompletedAntecedent(IOperation? receiver) =>
        OffThreadWork.Unwrap(receiver) is IParameterReferenceOperation { Parameter.ContainingSymbol: IMethodSymbol { MethodKind: MethodKind.AnonymousFunction } lambda } reference
        && FunctionOf(reference, lambda) is { } function
        && OffThreadWork.RunnerOf(function) is IInvocationOperation { TargetMethod.Name: "ContinueWith" };

    private static IAnonymousFunctionOperation? FunctionOf(IOperation operation, IMethodSymbol lambda)
    {
        for (IOperation? current = operation.Parent; current is not null; current = current.Parent)
        {
            if (current is IAnonymousFunctionOperation function && SymbolEqualityComparer.Default.Equals(function.Symbol, lambda))
            {
                return function;
            }
        }

        return null;
    }

    // Wait(0), WaitOne(0), Sleep(0): a poll or a yield, not a wait.
    private static bool IsZeroTimeout(IInvocationOperation invocation) =>
        invocation.Arguments.Length > 0
        && invocation.Arguments[0].Value.ConstantValue is { HasValue: true, Value: 0 };

    // x.Wait() → "Wait()", x.GetAwaiter().GetResult() → "GetAwaiter().GetResult()", Thread.Sleep(1) → the whole call.
    private static Location LocationOf(IInvocationOperation invocation)
    {
        if (invocation.Syntax is not InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax access } syntax
            || invocation.TargetMethod.IsStatic)
        {
            return invocation.Syntax.GetLocation();
        }

        SyntaxNode start = access.Name;
        if (invocation.TargetMethod.Name == "GetResult"
            && access.Expression is InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax { Name.Identifier.ValueText: "GetAwaiter" } inner })
        {
            start = inner.Name;
        }

        return Location.Create(syntax.SyntaxTree, TextSpan.FromBounds(start.SpanStart, syntax.Span.End));
    }

    private static string Display(ISymbol member) =>
        member.ContainingType.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat) + "." + member.Name;
}
