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
/// TK1004: an <c>async void</c> method or local function returns <c>Task</c>. Not offered for lambdas (their delegate
/// type decides) or for methods whose signature an override or interface fixes.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(AsyncVoidCodeFixProvider))]
[Shared]
public sealed class AsyncVoidCodeFixProvider : MainThreadCodeFixProvider
{
    public const string Title = "Return Task instead of void";

    public AsyncVoidCodeFixProvider()
        : base(Title, DiagnosticIds.AsyncVoid)
    {
    }

    private protected override Func<CancellationToken, Task<Document>>? CreateFix(
        Document document, SyntaxNode root, SyntaxNode node, SemanticModel model, CancellationToken cancellation)
    {
        // The diagnostic is at the async keyword, so the node is the method or local function it modifies.
        TypeSyntax? returnType = node switch
        {
            MethodDeclarationSyntax method => method.ReturnType,
            LocalFunctionStatementSyntax local => local.ReturnType,
            _ => null,
        };
        if (returnType is null
            || model.GetDeclaredSymbol(node, cancellation) is not IMethodSymbol symbol
            || AsyncConversion.HasFixedSignature(symbol))
        {
            return null;
        }

        return _ => Task.FromResult(document.WithSyntaxRoot(root.ReplaceNode(returnType, AsyncConversion.TaskType(null).WithTriviaFrom(returnType))));
    }
}
