using System;
using System.Composition;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Toolkit.Rpc.Analyzers;

namespace Toolkit.Rpc.CodeFixes;

/// <summary>TK1002: <c>x.ConfigureAwait(false)</c> becomes <c>x</c>.</summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(ConfigureAwaitFalseCodeFixProvider))]
[Shared]
public sealed class ConfigureAwaitFalseCodeFixProvider : MainThreadCodeFixProvider
{
    public const string Title = "Remove ConfigureAwait(false)";

    public ConfigureAwaitFalseCodeFixProvider()
        : base(Title, DiagnosticIds.ConfigureAwaitFalse)
    {
    }

    private protected override Func<CancellationToken, Task<Document>>? CreateFix(
        Document document, SyntaxNode root, SyntaxNode node, SemanticModel model, CancellationToken cancellation) =>
        node is InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax access } invocation
            ? _ => Task.FromResult(document.WithSyntaxRoot(root.ReplaceNode(invocation, access.Expression.WithTriviaFrom(invocation))))
            : null;
}
