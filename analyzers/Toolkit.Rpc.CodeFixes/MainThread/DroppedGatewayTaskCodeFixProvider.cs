using System.Collections.Immutable;
using System.Composition;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Toolkit.Rpc.Analyzers;

namespace Toolkit.Rpc.CodeFixes;

/// <summary>TK1007: a dropped gateway call is awaited, and the function around it becomes async (see <see cref="AsyncConversion"/>).</summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(DroppedGatewayTaskCodeFixProvider))]
[Shared]
public sealed class DroppedGatewayTaskCodeFixProvider : CodeFixProvider
{
    public const string Title = "Await the gateway call";

    public override ImmutableArray<string> FixableDiagnosticIds => [DiagnosticIds.DroppedGatewayTask];

    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        SyntaxNode? root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        SemanticModel? model = await context.Document.GetSemanticModelAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null || model is null)
        {
            return;
        }

        foreach (Diagnostic diagnostic in context.Diagnostics)
        {
            if (root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true)
                    is not InvocationExpressionSyntax { Parent: ExpressionStatementSyntax } call
                || !AsyncConversion.CanAwaitIn(call, model, context.CancellationToken))
            {
                continue;
            }

            context.RegisterCodeFix(
                CodeAction.Create(
                    Title,
                    cancellation => AsyncConversion.ReplaceWithAwaitAsync(context.Document, call, call, cancellation),
                    equivalenceKey: nameof(DroppedGatewayTaskCodeFixProvider)),
                diagnostic);
        }
    }
}
