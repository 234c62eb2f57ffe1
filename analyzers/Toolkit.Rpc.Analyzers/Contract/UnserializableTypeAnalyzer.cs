using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Toolkit.Rpc.Generators;

namespace Toolkit.Rpc.Analyzers.Contract;

/// <summary>TK0003: a parameter or result, or a member reachable from one, without a wire form; the message names the path to it.</summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class UnserializableTypeAnalyzer : ContractAnalyzer
{
    public static readonly DiagnosticDescriptor Rule = new(
        DiagnosticIds.UnserializableType,
        "Type cannot cross the wire",
        "{0} cannot be serialized: {1} is '{2}'; {3}",
        Category,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        "Every parameter and result of a gateway method, and every member reachable from them, must have a wire form: numbers, bool, char, enums, string, Guid, DateTime, DateTimeOffset, TimeSpan, decimal, nullable values, arrays, lists, sets, dictionaries, ReadOnlyMemory<byte>, records, classes and structs with public members, unions and gateways. Change the member's type, or mark the member [RpcIgnore] when it need not travel.",
        HelpLinkBase + "tk0003");

    public UnserializableTypeAnalyzer()
        : base(ContractRule.UnserializableType, Rule)
    {
    }
}
