using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Toolkit.Rpc.Generators;

namespace Toolkit.Rpc.Analyzers.Contract;

/// <summary>
/// TK0012: <c>[RpcFault]</c> names a type that cannot travel as a fault: not an exception, or abstract. (A fault type
/// that is an exception but cannot be written or created breaks the message rules, TK0003 and TK0008, like a message.)
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class FaultAnalyzer : ContractAnalyzer
{
    public static readonly DiagnosticDescriptor Rule = new(
        DiagnosticIds.InvalidFault,
        "[RpcFault] must name a concrete exception type",
        "[RpcFault] names '{0}' on gateway method '{1}', but {2}",
        Category,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        "A declared fault is rethrown on the caller as the same type, created from its members, so it must be a concrete class that derives from System.Exception. Name such a type, or remove the attribute: an undeclared exception reaches the caller as RpcRemoteException.",
        HelpLinkBase + "tk0012");

    public FaultAnalyzer()
        : base(ContractRule.InvalidFault, Rule)
    {
    }
}
