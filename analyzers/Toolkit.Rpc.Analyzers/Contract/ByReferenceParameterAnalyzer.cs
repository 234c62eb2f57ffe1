using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Toolkit.Rpc.Generators;

namespace Toolkit.Rpc.Analyzers.Contract;

/// <summary>TK0002: a gateway method parameter passed by <c>ref</c>, <c>out</c> or <c>in</c>.</summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class ByReferenceParameterAnalyzer : ContractAnalyzer
{
    public static readonly DiagnosticDescriptor Rule = new(
        DiagnosticIds.UnsupportedParameter,
        "Gateway method parameter passed by reference",
        "Parameter '{0}' of gateway method '{1}' is {2}; gateway parameters are passed by value",
        Category,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        "Arguments cross process boundaries as copies, so ref, out and in parameters cannot be honoured. Pass the value and return any result instead.",
        HelpLinkBase + "tk0002");

    public ByReferenceParameterAnalyzer()
        : base(ContractRule.UnsupportedParameter, Rule)
    {
    }
}
