using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Simplification;

namespace Toolkit.Rpc.CodeFixes;

/// <summary>
/// Replaces an expression with an <c>await</c> and makes the method, local function or lambda around it async: a
/// <c>void</c> method returns <c>Task</c>, a method returning <c>T</c> returns <c>Task&lt;T&gt;</c>, and a method that
/// already returns a task type awaits what it returned. A method whose signature is fixed (an override or an interface
/// implementation, e.g. a gateway method) is only changed when it already returns a task type; a lambda only when it is
/// already async, since its delegate type decides what it returns.
/// </summary>
internal static class AsyncConversion
{
    private const string TasksNamespace = "global::System.Threading.Tasks";

    /// <summary>Whether <see cref="ReplaceWithAwaitAsync"/> can make the function around <paramref name="target"/> async.</summary>
    public static bool CanAwaitIn(SyntaxNode target, SemanticModel model, CancellationToken cancellation) =>
        Plan(target, model, cancellation) is not null;

    public static async Task<Document> ReplaceWithAwaitAsync(Document document, SyntaxNode target, ExpressionSyntax awaited, CancellationToken cancellation)
    {
        SyntaxNode root = (await document.GetSyntaxRootAsync(cancellation).ConfigureAwait(false))!;
        SemanticModel model = (await document.GetSemanticModelAsync(cancellation).ConfigureAwait(false))!;
        if (Plan(target, model, cancellation) is not { } plan)
        {
            return document;
        }

        ExpressionSyntax replacement = Await(awaited).WithTriviaFrom(target);
        if (plan.Kind == ConversionKind.AlreadyAsync)
        {
            return document.WithSyntaxRoot(root.ReplaceNode(target, replacement));
        }

        List<SyntaxNode> nodes = [target];
        if (plan.Kind == ConversionKind.AwaitReturnedTasks)
        {
            nodes.AddRange(OwnReturns(plan.Function));
            if (ArrowBody(plan.Function) is { } arrow)
            {
                nodes.Add(arrow.Expression);
            }
        }

        SyntaxNode rewritten = plan.Function.ReplaceNodes(nodes, (original, current) =>
            original == target ? replacement
            : original is ReturnStatementSyntax ? RewriteReturn((ReturnStatementSyntax)current, plan.ReturnsResult)
            : Await((ExpressionSyntax)current).WithTriviaFrom(current));
        rewritten = MakeAsync(rewritten, plan);
        return document.WithSyntaxRoot(root.ReplaceNode(plan.Function, rewritten));
    }

    /// <summary><c>await operand</c>, parenthesized where the context needs it (the simplifier drops needless parentheses).</summary>
    public static ExpressionSyntax Await(ExpressionSyntax operand)
    {
        ExpressionSyntax inner = operand.WithoutTrivia();
        if (inner is not (IdentifierNameSyntax or MemberAccessExpressionSyntax or InvocationExpressionSyntax or ElementAccessExpressionSyntax
            or ParenthesizedExpressionSyntax or ThisExpressionSyntax or GenericNameSyntax))
        {
            inner = SyntaxFactory.ParenthesizedExpression(inner).WithAdditionalAnnotations(Simplifier.Annotation);
        }

        AwaitExpressionSyntax awaitExpression = SyntaxFactory.AwaitExpression(
            SyntaxFactory.Token(SyntaxKind.AwaitKeyword).WithTrailingTrivia(SyntaxFactory.Space), inner);
        return SyntaxFactory.ParenthesizedExpression(awaitExpression).WithAdditionalAnnotations(Simplifier.Annotation);
    }

    /// <summary><c>Task</c>, or <c>Task&lt;T&gt;</c> around <paramref name="result"/>, fully qualified for the simplifier to shorten.</summary>
    public static TypeSyntax TaskType(TypeSyntax? result)
    {
        NameSyntax ns = SyntaxFactory.ParseName(TasksNamespace);
        SimpleNameSyntax task = result is null
            ? SyntaxFactory.IdentifierName("Task")
            : SyntaxFactory.GenericName(SyntaxFactory.Identifier("Task"), SyntaxFactory.TypeArgumentList(SyntaxFactory.SingletonSeparatedList(result.WithoutTrivia())));
        return SyntaxFactory.QualifiedName(ns, task).WithAdditionalAnnotations(Simplifier.Annotation);
    }

    /// <summary>Whether <paramref name="method"/>'s signature is fixed by what it overrides or implements.</summary>
    public static bool HasFixedSignature(IMethodSymbol method)
    {
        if (method.IsOverride || !method.ExplicitInterfaceImplementations.IsEmpty)
        {
            return true;
        }

        INamedTypeSymbol? type = method.ContainingType;
        return type is not null && type.AllInterfaces.Any(candidate => candidate.GetMembers().Any(member =>
            SymbolEqualityComparer.Default.Equals(type.FindImplementationForInterfaceMember(member), method)));
    }

    private static ConversionPlan? Plan(SyntaxNode target, SemanticModel model, CancellationToken cancellation)
    {
        SyntaxNode? function = target.Ancestors().FirstOrDefault(node =>
            node is AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax or BaseMethodDeclarationSyntax or AccessorDeclarationSyntax);
        switch (function)
        {
            case AnonymousFunctionExpressionSyntax lambda:
                return lambda.AsyncKeyword.IsKind(SyntaxKind.AsyncKeyword) ? new ConversionPlan(lambda, ConversionKind.AlreadyAsync, false) : null;
            case MethodDeclarationSyntax or LocalFunctionStatementSyntax:
                if (model.GetDeclaredSymbol(function, cancellation) is not IMethodSymbol method || IsIterator(function))
                {
                    return null;
                }

                if (method.IsAsync)
                {
                    return new ConversionPlan(function, ConversionKind.AlreadyAsync, false);
                }

                if (IsTaskType(method.ReturnType, out bool returnsResult))
                {
                    return new ConversionPlan(function, ConversionKind.AwaitReturnedTasks, returnsResult);
                }

                return HasFixedSignature(method) ? null : new ConversionPlan(function, ConversionKind.WrapReturnType, !method.ReturnsVoid);
            default:
                return null;
        }
    }

    private static bool IsTaskType(ITypeSymbol type, out bool returnsResult)
    {
        returnsResult = type is INamedTypeSymbol { IsGenericType: true };
        return type is INamedTypeSymbol { Name: "Task" or "ValueTask", ContainingNamespace: { } ns }
            && ns.ToDisplayString() == "System.Threading.Tasks";
    }

    private static bool IsIterator(SyntaxNode function) => OwnStatements(function).OfType<YieldStatementSyntax>().Any();

    private static IEnumerable<SyntaxNode> OwnStatements(SyntaxNode function) =>
        function.DescendantNodes(node => node == function || node is not (AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax));

    private static IEnumerable<ReturnStatementSyntax> OwnReturns(SyntaxNode function) =>
        OwnStatements(function)
            .OfType<ReturnStatementSyntax>()
            .Where(statement => statement.Expression is not null);

    private static ArrowExpressionClauseSyntax? ArrowBody(SyntaxNode function) => function switch
    {
        MethodDeclarationSyntax method => method.ExpressionBody,
        LocalFunctionStatementSyntax local => local.ExpressionBody,
        _ => null,
    };

    private static StatementSyntax RewriteReturn(ReturnStatementSyntax statement, bool returnsResult)
    {
        ExpressionSyntax returned = statement.Expression!;
        if (returnsResult)
        {
            return statement.WithExpression(Await(returned).WithTriviaFrom(returned));
        }

        ReturnStatementSyntax bare = SyntaxFactory.ReturnStatement().WithTriviaFrom(statement);
        if (returned is LiteralExpressionSyntax { RawKind: (int)SyntaxKind.DefaultLiteralExpression }
            or MemberAccessExpressionSyntax { Name.Identifier.ValueText: "CompletedTask" })
        {
            return bare;
        }

        // A Task-returning method's "return work;" becomes "await work; return;" in the async method.
        return SyntaxFactory.Block(
            SyntaxFactory.ExpressionStatement(Await(returned)),
            SyntaxFactory.ReturnStatement()).WithTriviaFrom(statement);
    }

    private static SyntaxNode MakeAsync(SyntaxNode function, ConversionPlan plan)
    {
        (SyntaxTokenList modifiers, TypeSyntax returnType) = function switch
        {
            MethodDeclarationSyntax method => (method.Modifiers, method.ReturnType),
            LocalFunctionStatementSyntax local => (local.Modifiers, local.ReturnType),
            _ => throw new System.InvalidOperationException("Only methods and local functions change their signature."),
        };

        TypeSyntax newReturnType = plan.Kind == ConversionKind.WrapReturnType
            ? TaskType(plan.ReturnsResult ? returnType : null).WithTriviaFrom(returnType)
            : returnType;
        SyntaxToken asyncKeyword = SyntaxFactory.Token(SyntaxKind.AsyncKeyword).WithTrailingTrivia(SyntaxFactory.Space);
        if (modifiers.Count == 0)
        {
            asyncKeyword = asyncKeyword.WithLeadingTrivia(newReturnType.GetLeadingTrivia());
            newReturnType = newReturnType.WithoutLeadingTrivia();
        }

        return function switch
        {
            MethodDeclarationSyntax method => method.WithModifiers(modifiers.Add(asyncKeyword)).WithReturnType(newReturnType),
            LocalFunctionStatementSyntax local => local.WithModifiers(modifiers.Add(asyncKeyword)).WithReturnType(newReturnType),
            _ => function,
        };
    }

    private enum ConversionKind
    {
        AlreadyAsync,
        WrapReturnType,
        AwaitReturnedTasks,
    }

    private sealed class ConversionPlan(SyntaxNode function, ConversionKind kind, bool returnsResult)
    {
        public SyntaxNode Function { get; } = function;

        public ConversionKind Kind { get; } = kind;

        public bool ReturnsResult { get; } = returnsResult;
    }
}
