using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Toolkit.Rpc.Generators;

namespace Toolkit.Rpc.Analyzers.Contract;

/// <summary>TK0006: two gateway methods whose stable method ids are equal.</summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class MethodIdCollisionAnalyzer : ContractAnalyzer
{
    public static readonly DiagnosticDescriptor Rule = new(
        DiagnosticIds.MethodIdCollision,
        "Gateway method ids collide",
        "Gateway methods '{0}' and '{1}' have the same method id 0x{2}",
        Category,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        "Method ids are stable hashes of the method name and argument types, and a call is routed by its id, so two methods with one id cannot both be called. Rename one of the methods.",
        HelpLinkBase + "tk0006");

    public MethodIdCollisionAnalyzer()
        : base(ContractRule.MethodIdCollision, Rule)
    {
    }
}
