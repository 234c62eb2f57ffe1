using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace Toolkit.Rpc.Analyzers;

/// <summary>TK1004: an <c>async void</c> method, local function or lambda in an endpoint class, located at <c>async</c>.</summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class AsyncVoidAnalyzer : MainThreadAnalyzer
{
    public static readonly DiagnosticDescriptor Rule = MainThreadRule.Create(
        DiagnosticIds.AsyncVoid,
        "async void in an endpoint",
        "'{0}' in endpoint '{1}' is async void, so nobody can await it or observe its exceptions; make it return Task",
        "An async void method or lambda cannot be awaited: its caller goes on before it finishes, and an exception it " +
        "throws is not seen by any caller but posted to the endpoint's unhandled-exception handler. Return Task (or " +
        "ValueTask) and await it; for a callback that must return void, call an async Task method and keep its task.");

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => [Rule];

    private protected override void Register(CompilationStartAnalysisContext start, MainThreadSymbols symbols)
    {
        start.RegisterSymbolAction(symbol => AnalyzeMethod(symbol, symbols), SymbolKind.Method);
        start.RegisterOperationAction(operation => AnalyzeFunction(operation, symbols), OperationKind.AnonymousFunction, OperationKind.LocalFunction);
    }

    private static void AnalyzeMethod(SymbolAnalysisContext context, MainThreadSymbols symbols)
    {
        var method = (IMethodSymbol)context.Symbol;
        if (!method.IsAsync || !method.ReturnsVoid || symbols.EndpointContaining(method) is not { } endpoint)
        {
            return;
        }

        foreach (SyntaxReference reference in method.DeclaringSyntaxReferences)
        {
            if (reference.GetSyntax(context.CancellationToken) is MethodDeclarationSyntax declaration
                && AsyncKeyword(declaration.Modifiers) is { } keyword)
            {
                context.ReportDiagnostic(Diagnostic.Create(Rule, keyword.GetLocation(), method.Name, endpoint.Name));
            }
        }
    }

    private static void AnalyzeFunction(OperationAnalysisContext context, MainThreadSymbols symbols)
    {
        (IMethodSymbol function, SyntaxToken? keyword, string name) = context.Operation switch
        {
            IAnonymousFunctionOperation lambda => (lambda.Symbol, (lambda.Syntax as AnonymousFunctionExpressionSyntax)?.AsyncKeyword,
                "async lambda in " + context.ContainingSymbol.Name),
            ILocalFunctionOperation local => (local.Symbol, AsyncKeyword((local.Syntax as LocalFunctionStatementSyntax)?.Modifiers ?? default),
                local.Symbol.Name),
            _ => throw new System.InvalidOperationException("Registered for lambdas and local functions only."),
        };
        if (!function.IsAsync || !function.ReturnsVoid || keyword is not { } asyncKeyword
            || symbols.EndpointContaining(context.ContainingSymbol) is not { } endpoint)
        {
            return;
        }

        context.ReportDiagnostic(Diagnostic.Create(Rule, asyncKeyword.GetLocation(), name, endpoint.Name));
    }

    private static SyntaxToken? AsyncKeyword(SyntaxTokenList modifiers)
    {
        foreach (SyntaxToken modifier in modifiers)
        {
            if (modifier.IsKind(SyntaxKind.AsyncKeyword))
            {
                return modifier;
            }
        }

        return null;
    }
}
