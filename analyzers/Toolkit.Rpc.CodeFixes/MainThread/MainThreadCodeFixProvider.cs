using System;
using System.Collections.Immutable;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;

namespace Toolkit.Rpc.CodeFixes;

/// <summary>
/// The base of the main-thread code fixes: each fixes one diagnostic id. Finds the document's root and semantic model
/// once, and the node each diagnostic points at, asks the fix for a change per diagnostic, and offers every change
/// under the fix's title, batch-fixable across a solution.
/// </summary>
public abstract class MainThreadCodeFixProvider : CodeFixProvider
{
    private readonly string _title;

    private protected MainThreadCodeFixProvider(string title, string diagnosticId)
    {
        _title = title;
        FixableDiagnosticIds = ImmutableArray.Create(diagnosticId);
    }

    /// <inheritdoc />
    public sealed override ImmutableArray<string> FixableDiagnosticIds { get; }

    /// <inheritdoc />
    public sealed override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    /// <inheritdoc />
    public sealed override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        SyntaxNode? root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        SemanticModel? model = await context.Document.GetSemanticModelAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null || model is null)
        {
            return;
        }

        foreach (Diagnostic diagnostic in context.Diagnostics)
        {
            SyntaxNode node = root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true);
            if (CreateFix(context.Document, root, node, model, context.CancellationToken) is { } fix)
            {
                context.RegisterCodeFix(CodeAction.Create(_title, fix, equivalenceKey: GetType().Name), diagnostic);
            }
        }
    }

    /// <summary>
    /// The change that fixes the diagnostic at <paramref name="node"/> (the innermost node that spans it), or null
    /// where this fix does not apply.
    /// </summary>
    private protected abstract Func<CancellationToken, Task<Document>>? CreateFix(
        Document document, SyntaxNode root, SyntaxNode node, SemanticModel model, CancellationToken cancellation);
}
