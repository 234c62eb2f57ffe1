using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Toolkit.Rpc.Generators;

namespace Toolkit.Rpc.Analyzers.Contract;

/// <summary>TK0005: more than one <c>CancellationToken</c> or <c>[RpcTimeout]</c> parameter, either of them before an argument, or either on a one-way method.</summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class SpecialParameterAnalyzer : ContractAnalyzer
{
    public static readonly DiagnosticDescriptor Rule = new(
        DiagnosticIds.MisplacedSpecialParameter,
        "Timeout or cancellation parameter misplaced",
        "Gateway method '{0}': {1}",
        Category,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        "A gateway method may take at most one [RpcTimeout] TimeSpan parameter and at most one CancellationToken, after all arguments, with the CancellationToken last; one-way (void) methods take neither because they never wait. Move, remove or retype the parameter as the message says.",
        HelpLinkBase + "tk0005");

    public SpecialParameterAnalyzer()
        : base(ContractRule.MisplacedSpecialParameter, Rule)
    {
    }
}
