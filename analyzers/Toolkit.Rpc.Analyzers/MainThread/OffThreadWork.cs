using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace Toolkit.Rpc.Analyzers;

/// <summary>Recognizes the calls that run a delegate on another thread than the endpoint's main thread.</summary>
internal static class OffThreadWork
{
    /// <summary>
    /// Names the API when <paramref name="operation"/> runs its delegate arguments off the main thread (e.g.
    /// <c>Task.Run</c>), or returns null. <c>ContinueWith</c> and <c>StartNew</c> given the endpoint's
    /// <c>MainThreadScheduler</c> (or the current synchronization context's scheduler) stay on the main thread.
    /// </summary>
    public static string? Describe(IOperation operation, MainThreadSymbols symbols)
    {
        switch (operation)
        {
            case IInvocationOperation invocation:
                IMethodSymbol method = invocation.TargetMethod;
                switch (FullName(method.ContainingType))
                {
                    case "System.Threading.Tasks.Task" when method.Name == "Run":
                        return Api(method);
                    case "System.Threading.Tasks.Task" when method.Name == "ContinueWith" && !HasMainThreadScheduler(invocation.Arguments, symbols):
                        return Api(method);
                    case "System.Threading.ThreadPool" when method.Name is "QueueUserWorkItem" or "UnsafeQueueUserWorkItem":
                        return Api(method);
                    case "System.Threading.Tasks.Parallel" when method.Name is "For" or "ForEach" or "Invoke" or "ForAsync" or "ForEachAsync":
                        return Api(method);
                    case "System.Threading.Tasks.TaskFactory" when method.Name is "StartNew" or "ContinueWhenAll" or "ContinueWhenAny"
                        && !HasMainThreadScheduler(invocation.Arguments, symbols)
                        && !(Unwrap(invocation.Instance) is IObjectCreationOperation factory && HasMainThreadScheduler(factory.Arguments, symbols)):
                        return Api(method);
                    default:
                        return null;
                }

            case IObjectCreationOperation creation when creation.Type is INamedTypeSymbol type:
                return FullName(type) is "System.Threading.Timer" or "System.Threading.Thread" ? "new " + type.Name : null;
            default:
                return null;
        }
    }

    /// <summary>Whether <paramref name="operation"/> sits inside a lambda that an off-thread API runs.</summary>
    public static bool IsInsideOffThreadDelegate(IOperation operation, MainThreadSymbols symbols)
    {
        for (IOperation? current = operation.Parent; current is not null; current = current.Parent)
        {
            if (current is IAnonymousFunctionOperation && RunnerOf(current) is { } runner && Describe(runner, symbols) is not null)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The invocation or creation that receives <paramref name="function"/> as an argument, or null.</summary>
    public static IOperation? RunnerOf(IOperation function)
    {
        IOperation? current = function.Parent;
        while (current is IDelegateCreationOperation or IConversionOperation)
        {
            current = current.Parent;
        }

        return current is IArgumentOperation { Parent: { } runner } ? runner : null;
    }

    public static IOperation? Unwrap(IOperation? operation)
    {
        while (operation is IConversionOperation or IDelegateCreationOperation or IParenthesizedOperation)
        {
            operation = operation switch
            {
                IConversionOperation conversion => conversion.Operand,
                IDelegateCreationOperation creation => creation.Target,
                _ => ((IParenthesizedOperation)operation).Operand,
            };
        }

        return operation;
    }

    public static string FullName(INamedTypeSymbol type) =>
        type.ContainingNamespace is { IsGlobalNamespace: false } ns ? ns.ToDisplayString() + "." + type.Name : type.Name;

    private static bool HasMainThreadScheduler(IEnumerable<IArgumentOperation> arguments, MainThreadSymbols symbols)
    {
        foreach (IArgumentOperation argument in arguments)
        {
            if (symbols.IsMainThreadScheduler(argument.Value)
                || Unwrap(argument.Value) is IInvocationOperation { TargetMethod.Name: "FromCurrentSynchronizationContext" } fromContext
                    && SymbolEqualityComparer.Default.Equals(fromContext.TargetMethod.ContainingType, symbols.TaskScheduler))
            {
                return true;
            }
        }

        return false;
    }

    // Built only for a call that matches: Describe runs on every call in endpoint code.
    private static string Api(IMethodSymbol method) => method.ContainingType.Name + "." + method.Name;
}
