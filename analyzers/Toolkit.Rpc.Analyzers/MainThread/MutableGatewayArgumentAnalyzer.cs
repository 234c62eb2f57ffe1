using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace Toolkit.Rpc.Analyzers;

/// <summary>
/// TK1008: in endpoint code, a gateway call argument whose type is mutable — an array, a mutable collection, or a class
/// with a public settable (non-init) property or a public writable field. Local calls skip serialization and hand the
/// same instance to the callee.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class MutableGatewayArgumentAnalyzer : MainThreadAnalyzer
{
    public static readonly DiagnosticDescriptor Rule = MainThreadRule.Create(
        DiagnosticIds.MutableGatewayArgument,
        "Mutable message passed to a gateway",
        "Argument of type '{0}' to gateway call '{1}' is mutable ({2}): a local call hands the same instance to the other endpoint, so both can change it; pass an immutable type or a copy",
        "Calls between endpoints of one service skip serialization and pass the argument object itself, so caller and " +
        "callee share it and can change it on their own main threads at the same time — a race that the serialized " +
        "remote path never shows. Use records with init-only members and immutable collections (ImmutableArray, " +
        "IReadOnlyList backed by a fresh copy, FrozenDictionary) for messages, or pass a copy.");

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => [Rule];

    private protected override void Register(CompilationStartAnalysisContext start, MainThreadSymbols symbols)
    {
        start.RegisterOperationAction(operation => Analyze(operation, symbols), OperationKind.Invocation);
    }

    private static void Analyze(OperationAnalysisContext context, MainThreadSymbols symbols)
    {
        var invocation = (IInvocationOperation)context.Operation;
        IMethodSymbol method = invocation.TargetMethod;
        if (symbols.EndpointContaining(context.ContainingSymbol) is null || !symbols.IsGatewayCall(invocation))
        {
            return;
        }

        foreach (IArgumentOperation argument in invocation.Arguments)
        {
            ITypeSymbol? type = OffThreadWork.Unwrap(argument.Value)?.Type ?? argument.Parameter?.Type;
            if (type is not null && MutableReason(type, symbols) is { } reason)
            {
                context.ReportDiagnostic(Diagnostic.Create(
                    Rule,
                    argument.Syntax.GetLocation(),
                    type.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat),
                    method.ContainingType.Name + "." + method.Name,
                    reason));
            }
        }
    }

    private static string? MutableReason(ITypeSymbol type, MainThreadSymbols symbols)
    {
        if (type is IArrayTypeSymbol)
        {
            return "arrays can be written";
        }

        if (type is not INamedTypeSymbol { TypeKind: TypeKind.Class } named
            || named.SpecialType == SpecialType.System_String
            || symbols.IsEndpoint(named))
        {
            return null;
        }

        if (IsMutableCollection(named))
        {
            return named.Name + " is a mutable collection";
        }

        for (INamedTypeSymbol? current = named; current is not null && current.SpecialType != SpecialType.System_Object; current = current.BaseType)
        {
            foreach (ISymbol member in current.GetMembers())
            {
                if (member.IsStatic || member.DeclaredAccessibility != Accessibility.Public)
                {
                    continue;
                }

                switch (member)
                {
                    case IPropertySymbol { SetMethod: { DeclaredAccessibility: Accessibility.Public, IsInitOnly: false } }:
                        return $"'{current.Name}.{member.Name}' has a public setter";
                    case IFieldSymbol { IsReadOnly: false, IsConst: false, IsImplicitlyDeclared: false }:
                        return $"'{current.Name}.{member.Name}' is a writable public field";
                }
            }
        }

        return null;
    }

    private static bool IsMutableCollection(INamedTypeSymbol type)
    {
        string ns = type.ContainingNamespace?.ToDisplayString() ?? "";
        if (ns is not ("System.Collections.Generic" or "System.Collections.Concurrent" or "System.Collections.ObjectModel" or "System.Collections")
            || type.Name.StartsWith("ReadOnly", System.StringComparison.Ordinal))
        {
            return false;
        }

        foreach (INamedTypeSymbol implemented in type.AllInterfaces)
        {
            if (implemented.Name is "ICollection" or "IProducerConsumerCollection"
                && implemented.ContainingNamespace?.ToDisplayString() is "System.Collections.Generic" or "System.Collections" or "System.Collections.Concurrent")
            {
                return true;
            }
        }

        return false;
    }
}
