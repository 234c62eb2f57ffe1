using System;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;

namespace Toolkit.Rpc.CodeFixes;

/// <summary>
/// The base of the main-thread code fixes: finds the document's root and semantic model once, asks the fix for
/// a change per diagnostic, and offers every change under the fix's title, batch-fixable across a solution.
/// </summary>
public abstract class MainThreadCodeFixProvider : CodeFixProvider
{
    private readonly string _title;

    private protected MainThreadCodeFixProvider(string title) => _title = title;

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
            if (CreateFix(context.Document, root, model, diagnostic, context.CancellationToken) is { } fix)
            {
                context.RegisterCodeFix(CodeAction.Create(_title, fix, equivalenceKey: GetType().Name), diagnostic);
            }
        }
    }

    /// <summary>The change that fixes <paramref name="diagnostic"/>, or null where this fix does not apply.</summary>
    private protected abstract Func<CancellationToken, Task<Document>>? CreateFix(
        Document document, SyntaxNode root, SemanticModel model, Diagnostic diagnostic, CancellationToken cancellation);
}
