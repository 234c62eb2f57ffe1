using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Toolkit.Rpc.Generators;

namespace Toolkit.Rpc.Analyzers.Contract;

/// <summary>TK0011: <c>[RpcTimeout]</c> on a gateway method without a positive number of milliseconds.</summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class TimeoutMillisecondsAnalyzer : ContractAnalyzer
{
    public static readonly DiagnosticDescriptor Rule = new(
        DiagnosticIds.TimeoutWithoutMilliseconds,
        "[RpcTimeout] on a method needs milliseconds",
        "[RpcTimeout] on gateway method '{0}' gives {1}; a method's timeout needs a positive number of milliseconds",
        Category,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        "[RpcTimeout] on a method overrides the default timeout of its calls, so it needs the timeout as a positive number of milliseconds. Write it as [RpcTimeout(5000)], or put [RpcTimeout] on a TimeSpan parameter to let each caller choose.",
        HelpLinkBase + "tk0011");

    public TimeoutMillisecondsAnalyzer()
        : base(ContractRule.TimeoutWithoutMilliseconds, Rule)
    {
    }
}
