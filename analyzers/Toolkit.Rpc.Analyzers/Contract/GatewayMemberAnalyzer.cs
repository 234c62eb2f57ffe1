using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Toolkit.Rpc.Generators;

namespace Toolkit.Rpc.Analyzers.Contract;

/// <summary>TK0004: properties, events, indexers, static abstract members and generic methods on a gateway.</summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class GatewayMemberAnalyzer : ContractAnalyzer
{
    public static readonly DiagnosticDescriptor Rule = new(
        DiagnosticIds.UnsupportedGatewayMember,
        "Gateway declares a member that is not a plain method",
        "Gateway '{0}' declares {1} '{2}'; gateways may only declare non-generic methods",
        Category,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        "Properties, events, indexers, static abstract members and generic methods have no remote form. Replace each with a non-generic method, for example a property Count with Task<int> GetCountAsync().",
        HelpLinkBase + "tk0004");

    public GatewayMemberAnalyzer()
        : base(ContractRule.UnsupportedGatewayMember, Rule)
    {
    }
}
