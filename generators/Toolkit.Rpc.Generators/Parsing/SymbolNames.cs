using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Toolkit.Rpc.Generators.Parsing;

/// <summary>How the walk names symbols: keys for models and generated code, display names for messages.</summary>
internal static class SymbolNames
{
    // The key by which types refer to each other: fully qualified, without nullable-reference annotations
    // (string and string? share a wire form), with keywords for special types.
    public static readonly SymbolDisplayFormat KeyFormat = new(
        globalNamespaceStyle: SymbolDisplayGlobalNamespaceStyle.Included,
        typeQualificationStyle: SymbolDisplayTypeQualificationStyle.NameAndContainingTypesAndNamespaces,
        genericsOptions: SymbolDisplayGenericsOptions.IncludeTypeParameters,
        miscellaneousOptions: SymbolDisplayMiscellaneousOptions.EscapeKeywordIdentifiers | SymbolDisplayMiscellaneousOptions.UseSpecialTypes);

    public static readonly SymbolDisplayFormat DisplayFormat = new(
        typeQualificationStyle: SymbolDisplayTypeQualificationStyle.NameAndContainingTypesAndNamespaces,
        genericsOptions: SymbolDisplayGenericsOptions.IncludeTypeParameters,
        miscellaneousOptions: SymbolDisplayMiscellaneousOptions.UseSpecialTypes);

    /// <summary>The key of <paramref name="type"/>: how models and generated code name it.</summary>
    public static string Key(ITypeSymbol type) => type.ToDisplayString(KeyFormat);

    /// <summary>How messages name <paramref name="symbol"/>: qualified, without <c>global::</c>.</summary>
    public static string Display(ISymbol symbol) => symbol.ToDisplayString(DisplayFormat);

    /// <summary>A member or parameter name as generated code may use it: <c>@</c> before a keyword.</summary>
    public static string EscapeIdentifier(string name) =>
        SyntaxFacts.GetKeywordKind(name) != SyntaxKind.None || SyntaxFacts.GetContextualKeywordKind(name) != SyntaxKind.None ? "@" + name : name;
}
