using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace Toolkit.Rpc.Analyzers;

/// <summary>
/// TK1005: a <c>lock</c> in endpoint code whose lock object or body is endpoint state, or <c>Monitor.Enter</c>/
/// <c>TryEnter</c> on endpoint state. Located at the <c>lock</c> keyword or at the Monitor call.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class LockAroundEndpointStateAnalyzer : MainThreadAnalyzer
{
    public static readonly DiagnosticDescriptor Rule = MainThreadRule.Create(
        DiagnosticIds.LockAroundEndpointState,
        "Lock around endpoint state",
        "Lock around '{0}' in endpoint '{1}' is needless: the endpoint's state is only touched on its main thread, one turn at a time; remove the lock",
        "Every call, callback and continuation of an endpoint runs on its main thread, one at a time, so endpoint state " +
        "needs no lock. A lock there costs time, suggests that some code touches the state from another thread (which " +
        "is the real bug: see TK1003), and around an await it cannot even be taken. Remove the lock, and move any " +
        "off-thread access back onto the main thread with RunAsync or CallAsync.");

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => [Rule];

    private protected override void Register(CompilationStartAnalysisContext start, MainThreadSymbols symbols)
    {
        start.RegisterOperationAction(operation => AnalyzeLock(operation, symbols), OperationKind.Lock);
        start.RegisterOperationAction(operation => AnalyzeMonitor(operation, symbols), OperationKind.Invocation);
    }

    private static void AnalyzeLock(OperationAnalysisContext context, MainThreadSymbols symbols)
    {
        var lockOperation = (ILockOperation)context.Operation;
        if (symbols.EndpointContaining(context.ContainingSymbol) is not { } endpoint
            || OffThreadWork.IsInsideOffThreadDelegate(lockOperation, symbols)
            || lockOperation.Syntax is not LockStatementSyntax syntax)
        {
            return;
        }

        ISymbol? state = StateMember(lockOperation.LockedValue, symbols, endpoint) ?? FirstStateMember(lockOperation.Body, symbols, endpoint);
        if (state is not null)
        {
            context.ReportDiagnostic(Diagnostic.Create(Rule, syntax.LockKeyword.GetLocation(), state.Name, endpoint.Name));
        }
    }

    private static void AnalyzeMonitor(OperationAnalysisContext context, MainThreadSymbols symbols)
    {
        var invocation = (IInvocationOperation)context.Operation;
        if (invocation.TargetMethod.Name is not ("Enter" or "TryEnter")
            || OffThreadWork.FullName(invocation.TargetMethod.ContainingType) != "System.Threading.Monitor"
            || invocation.Arguments.IsEmpty
            || symbols.EndpointContaining(context.ContainingSymbol) is not { } endpoint
            || OffThreadWork.IsInsideOffThreadDelegate(invocation, symbols)
            || StateMember(invocation.Arguments[0].Value, symbols, endpoint) is not { } state)
        {
            return;
        }

        context.ReportDiagnostic(Diagnostic.Create(Rule, invocation.Syntax.GetLocation(), state.Name, endpoint.Name));
    }

    private static ISymbol? StateMember(IOperation operation, MainThreadSymbols symbols, INamedTypeSymbol endpoint) =>
        OffThreadWork.Unwrap(operation) is IMemberReferenceOperation reference && symbols.IsEndpointState(reference.Member, reference.Instance, endpoint)
            ? reference.Member
            : null;

    private static ISymbol? FirstStateMember(IOperation operation, MainThreadSymbols symbols, INamedTypeSymbol endpoint)
    {
        if (operation is IMemberReferenceOperation reference && symbols.IsEndpointState(reference.Member, reference.Instance, endpoint))
        {
            return reference.Member;
        }

        foreach (IOperation child in operation.ChildOperations)
        {
            if (FirstStateMember(child, symbols, endpoint) is { } found)
            {
                return found;
            }
        }

        return null;
    }
}
