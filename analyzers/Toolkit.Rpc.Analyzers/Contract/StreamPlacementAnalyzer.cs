using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Toolkit.Rpc.Generators;

namespace Toolkit.Rpc.Analyzers.Contract;

/// <summary>TK0013: an item stream (<c>IAsyncEnumerable&lt;T&gt;</c>) where a gateway cannot carry one.</summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class StreamPlacementAnalyzer : ContractAnalyzer
{
    public static readonly DiagnosticDescriptor Rule = new(
        DiagnosticIds.MisplacedStream,
        "Item stream where a gateway cannot carry one",
        "Gateway method '{0}' cannot carry its item stream: {1}",
        Category,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        "A gateway method may return IAsyncEnumerable<T> (T serializable): the producer runs on the endpoint's main thread and its items flow to the caller with flow control. A stream is a method's result only: not a parameter, not the result of a Task, and a streaming method takes no timeout (it runs as long as its consumer reads), only a CancellationToken. Return IAsyncEnumerable<T> directly, and pass data to the producer as ordinary arguments.",
        HelpLinkBase + "tk0013");

    public StreamPlacementAnalyzer()
        : base(ContractRule.MisplacedStream, Rule)
    {
    }
}
