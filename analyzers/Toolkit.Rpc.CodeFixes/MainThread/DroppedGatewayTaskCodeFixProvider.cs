using System;
using System.Composition;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Toolkit.Rpc.Analyzers;

namespace Toolkit.Rpc.CodeFixes;

/// <summary>TK1007: a dropped gateway call is awaited, and the function around it becomes async (see <see cref="AsyncConversion"/>).</summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(DroppedGatewayTaskCodeFixProvider))]
[Shared]
public sealed class DroppedGatewayTaskCodeFixProvider : MainThreadCodeFixProvider
{
    public const string Title = "Await the gateway call";

    public DroppedGatewayTaskCodeFixProvider()
        : base(Title, DiagnosticIds.DroppedGatewayTask)
    {
    }

    private protected override Func<CancellationToken, Task<Document>>? CreateFix(
        Document document, SyntaxNode root, SyntaxNode node, SemanticModel model, CancellationToken cancellation) =>
        node is InvocationExpressionSyntax { Parent: ExpressionStatementSyntax } call
            && AsyncConversion.CanAwaitIn(call, model, cancellation)
            ? token => AsyncConversion.ReplaceWithAwaitAsync(document, call, call, token)
            : null;
}
