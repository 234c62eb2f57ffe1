using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Toolkit.Rpc.Generators;

namespace Toolkit.Rpc.Analyzers.Contract;

/// <summary>TK0014: a byte stream (<c>Stream</c>, <c>PipeReader</c>) where a gateway cannot carry one.</summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class ByteStreamPlacementAnalyzer : ContractAnalyzer
{
    public static readonly DiagnosticDescriptor Rule = new(
        DiagnosticIds.MisplacedByteStream,
        "Byte stream where a gateway cannot carry one",
        "'{0}' cannot carry a byte stream: {1}",
        Category,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        "A Stream or PipeReader travels out of band, on a channel of the byte-stream connection beside the call connection, and the call carries a token naming it. So it is a gateway method's own argument, or the result of its Task<T> or ValueTask<T>: not a member of a message, an element of a collection, an item of an item stream, nor an argument of a one-way (void) method, which never learns whether its stream was read. Pass the stream as an argument of its own, or return Task<Stream>.",
        HelpLinkBase + "tk0014");

    public ByteStreamPlacementAnalyzer()
        : base(ContractRule.MisplacedByteStream, Rule)
    {
    }
}
