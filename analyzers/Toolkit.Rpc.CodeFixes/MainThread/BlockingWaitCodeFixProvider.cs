using System;
using System.Composition;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Toolkit.Rpc.Analyzers;

namespace Toolkit.Rpc.CodeFixes;

/// <summary>
/// TK1001: <c>x.Result</c>, <c>x.Wait()</c> and <c>x.GetAwaiter().GetResult()</c> become <c>await x</c>, and the
/// function around them becomes async (see <see cref="AsyncConversion"/>).
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(BlockingWaitCodeFixProvider))]
[Shared]
public sealed class BlockingWaitCodeFixProvider : MainThreadCodeFixProvider
{
    public const string Title = "Await the task instead of blocking";

    public BlockingWaitCodeFixProvider()
        : base(Title, DiagnosticIds.BlockingWait)
    {
    }

    private protected override Func<CancellationToken, Task<Document>>? CreateFix(
        Document document, SyntaxNode root, SyntaxNode node, SemanticModel model, CancellationToken cancellation) =>
        BlockedTask(node) is ({ } blocking, { } task) && AsyncConversion.CanAwaitIn(blocking, model, cancellation)
            ? token => AsyncConversion.ReplaceWithAwaitAsync(document, blocking, task, token)
            : null;

    // The whole blocking expression and the task it waits for, when it is one of the three task shapes.
    private static (ExpressionSyntax? Blocking, ExpressionSyntax? Task) BlockedTask(SyntaxNode node)
    {
        if (node is IdentifierNameSyntax { Identifier.ValueText: "Result", Parent: MemberAccessExpressionSyntax result } && result.Name == node)
        {
            return (result, result.Expression);
        }

        if (node is not InvocationExpressionSyntax { ArgumentList.Arguments.Count: 0, Expression: MemberAccessExpressionSyntax call } invocation)
        {
            return (null, null);
        }

        return call.Name.Identifier.ValueText switch
        {
            "Wait" => (invocation, call.Expression),
            "GetResult" when call.Expression is InvocationExpressionSyntax
            {
                ArgumentList.Arguments.Count: 0,
                Expression: MemberAccessExpressionSyntax { Name.Identifier.ValueText: "GetAwaiter" } getAwaiter,
            } => (invocation, getAwaiter.Expression),
            _ => (null, null),
        };
    }
}
