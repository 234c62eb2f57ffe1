using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Toolkit.Rpc.Generators;

namespace Toolkit.Rpc.Analyzers.Contract;

/// <summary>TK0008: a message type that deserialization cannot create from its members.</summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class ConstructibleMessageAnalyzer : ContractAnalyzer
{
    public static readonly DiagnosticDescriptor Rule = new(
        DiagnosticIds.NotConstructible,
        "Message type cannot be constructed from its members",
        "'{0}' cannot be created when it is read: {1}",
        Category,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        "Deserialization creates a message through a public constructor whose parameters all match public members by name and type (a record's primary constructor, or one marked [RpcConstructor]), or through a public parameterless constructor and settable members. Add such a constructor, or mark the right one [RpcConstructor].",
        HelpLinkBase + "tk0008");

    public ConstructibleMessageAnalyzer()
        : base(ContractRule.NotConstructible, Rule)
    {
    }
}
