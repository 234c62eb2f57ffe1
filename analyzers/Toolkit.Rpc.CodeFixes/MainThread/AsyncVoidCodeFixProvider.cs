using System.Collections.Immutable;
using System.Composition;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
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
public sealed class AsyncVoidCodeFixProvider : CodeFixProvider
{
    public const string Title = "Return Task instead of void";

    public override ImmutableArray<string> FixableDiagnosticIds => [DiagnosticIds.AsyncVoid];

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
            SyntaxNode? function = root.FindToken(diagnostic.Location.SourceSpan.Start).Parent;
            TypeSyntax? returnType = function switch
            {
                MethodDeclarationSyntax method => method.ReturnType,
                LocalFunctionStatementSyntax local => local.ReturnType,
                _ => null,
            };
            if (function is null
                || returnType is null
                || model.GetDeclaredSymbol(function, context.CancellationToken) is not IMethodSymbol symbol
                || AsyncConversion.HasFixedSignature(symbol))
            {
                continue;
            }

            context.RegisterCodeFix(
                CodeAction.Create(
                    Title,
                    _ => Task.FromResult(context.Document.WithSyntaxRoot(
                        root.ReplaceNode(returnType, AsyncConversion.TaskType(null).WithTriviaFrom(returnType)))),
                    equivalenceKey: nameof(AsyncVoidCodeFixProvider)),
                diagnostic);
        }
    }
}
