using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Toolkit.Rpc.Generators;

namespace Toolkit.Rpc.Analyzers.Contract;

/// <summary>TK0009: a gateway interface with type parameters.</summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class GenericGatewayAnalyzer : ContractAnalyzer
{
    public static readonly DiagnosticDescriptor Rule = new(
        DiagnosticIds.GenericGateway,
        "Generic gateway",
        "Gateway '{0}' is generic; gateways cannot have type parameters",
        Category,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        "A gateway's wire contract must be fixed when it is compiled, and a type parameter leaves it open. Declare a non-generic interface for each instantiation.",
        HelpLinkBase + "tk0009");

    public GenericGatewayAnalyzer()
        : base(ContractRule.GenericGateway, Rule)
    {
    }
}
