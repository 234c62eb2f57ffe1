using System.Linq;
using Microsoft.CodeAnalysis;

namespace Toolkit.Rpc.Generators.Parsing;

/// <summary>Generated code lives in the gateway's assembly, so every gateway and message type must be accessible from it.</summary>
internal static class AccessibilityRule
{
    public static bool IsAccessible(ContractWalker walker, INamedTypeSymbol type, string display, Location? location)
    {
        Compilation compilation = walker.Known.Compilation;
        if (compilation.IsSymbolAccessibleWithin(type, compilation.Assembly))
        {
            return true;
        }

        walker.Report(ContractRule.InaccessibleType, type.Locations.FirstOrDefault(l => l.IsInSource) ?? location, display,
            Keyword(type.DeclaredAccessibility) + (SymbolEqualityComparer.Default.Equals(type.ContainingAssembly, compilation.Assembly) ? "" : " in another assembly"));
        return false;
    }

    // As the user wrote it: Accessibility's own names (ProtectedAndInternal) are not C#.
    private static string Keyword(Accessibility accessibility) => accessibility switch
    {
        Accessibility.ProtectedAndInternal => "private protected",
        Accessibility.ProtectedOrInternal => "protected internal",
        _ => accessibility.ToString().ToLowerInvariant(),
    };
}
