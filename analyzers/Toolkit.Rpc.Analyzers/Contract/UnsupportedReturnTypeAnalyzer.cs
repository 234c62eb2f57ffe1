using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Toolkit.Rpc.Generators;

namespace Toolkit.Rpc.Analyzers.Contract;

/// <summary>TK0001: a gateway method that returns neither a task nor void.</summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class UnsupportedReturnTypeAnalyzer : ContractAnalyzer
{
    public static readonly DiagnosticDescriptor Rule = new(
        DiagnosticIds.UnsupportedReturnType,
        "Unsupported gateway method return type",
        "Gateway method '{0}' returns '{1}'; gateway methods return Task, Task<T>, ValueTask, ValueTask<T> or void",
        Category,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        "A gateway method is either request/response (Task, Task<T>, ValueTask, ValueTask<T>) or one-way (void), because a remote call cannot produce its result synchronously. Change the return type to one of these, for example int to Task<int>.",
        HelpLinkBase + "tk0001");

    public UnsupportedReturnTypeAnalyzer()
        : base(ContractRule.UnsupportedReturnType, Rule)
    {
    }
}
