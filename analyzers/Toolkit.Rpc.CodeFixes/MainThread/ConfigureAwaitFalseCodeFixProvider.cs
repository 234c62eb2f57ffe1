using System;
using System.Collections.Immutable;
using System.Composition;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
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

    public override ImmutableArray<string> FixableDiagnosticIds => [DiagnosticIds.ConfigureAwaitFalse];

    public ConfigureAwaitFalseCodeFixProvider()
        : base(Title)
    {
    }

    private protected override Func<CancellationToken, Task<Document>>? CreateFix(
        Document document, SyntaxNode root, SemanticModel model, Diagnostic diagnostic, CancellationToken cancellation) =>
        root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true)
            is InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax access } invocation
            ? _ => Task.FromResult(document.WithSyntaxRoot(root.ReplaceNode(invocation, access.Expression.WithTriviaFrom(invocation))))
            : null;
}
