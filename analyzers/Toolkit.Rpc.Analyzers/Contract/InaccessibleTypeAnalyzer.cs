using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Toolkit.Rpc.Generators;

namespace Toolkit.Rpc.Analyzers.Contract;

/// <summary>TK0010: a gateway or message type that the generated code cannot reach.</summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class InaccessibleTypeAnalyzer : ContractAnalyzer
{
    public static readonly DiagnosticDescriptor Rule = new(
        DiagnosticIds.InaccessibleType,
        "Type is not accessible to generated code",
        "'{0}' is {1}; generated code needs it to be public or internal",
        Category,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        "The generator emits proxies and serializers as separate internal types of the same assembly, which cannot reach private or protected nested types or internal types of other assemblies. Make the type public or internal.",
        HelpLinkBase + "tk0010");

    public InaccessibleTypeAnalyzer()
        : base(ContractRule.InaccessibleType, Rule)
    {
    }
}
