using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Toolkit.Rpc.Generators;

namespace Toolkit.Rpc.Analyzers.Contract;

/// <summary>TK0007: an abstract message type without <c>[RpcUnion]</c> cases, with duplicate or out-of-range tags, or with cases that do not derive from it.</summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class UnionAnalyzer : ContractAnalyzer
{
    public static readonly DiagnosticDescriptor Rule = new(
        DiagnosticIds.InvalidUnion,
        "Invalid union",
        "Union '{0}': {1}",
        Category,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        "An abstract class or interface that travels on the wire is a union: it needs [RpcUnion(tag, typeof(Case))] for each concrete case, with distinct tags from 0 to 65535, and each case must be a concrete type deriving from it. Add, renumber or fix the [RpcUnion] attributes as the message says.",
        HelpLinkBase + "tk0007");

    public UnionAnalyzer()
        : base(ContractRule.InvalidUnion, Rule)
    {
    }
}
