using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Toolkit.Rpc.Generators.Model;

namespace Toolkit.Rpc.Generators.Parsing;

/// <summary>Abstract classes and interfaces that travel: unions of the concrete cases their <c>[RpcUnion(tag, typeof(Case))]</c> attributes list.</summary>
internal static class UnionShapes
{
    public static TypeModel? Union(ContractWalker walker, INamedTypeSymbol type, string key, string path, Location? location)
    {
        string display = SymbolNames.Display(type);
        Location? typeLocation = type.Locations.FirstOrDefault(l => l.IsInSource) ?? location;
        List<UnionCaseModel> cases = new();
        HashSet<int> tags = new();
        HashSet<INamedTypeSymbol> caseTypes = new(SymbolEqualityComparer.Default);
        bool ok = true;
        foreach (AttributeData attribute in type.GetAttributes().Where(a => KnownTypeSymbols.Is(a.AttributeClass, walker.Known.UnionAttribute)))
        {
            if (attribute.ConstructorArguments.Length != 2 || attribute.ConstructorArguments[0].Value is not int tag || attribute.ConstructorArguments[1].Value is not INamedTypeSymbol caseType)
            {
                continue;
            }

            string caseDisplay = SymbolNames.Display(caseType);
            if (tag is < 0 or > ushort.MaxValue)
            {
                walker.Report(ContractRule.InvalidUnion, typeLocation, display, $"the tag {tag} of case '{caseDisplay}' is outside 0–65535");
                ok = false;
                continue;
            }

            if (!tags.Add(tag))
            {
                walker.Report(ContractRule.InvalidUnion, typeLocation, display, $"the tag {tag} is used by more than one case");
                ok = false;
                continue;
            }

            bool derives = type.TypeKind == TypeKind.Interface
                ? caseType.AllInterfaces.Contains(type, SymbolEqualityComparer.Default)
                : InheritanceDepthBelow(caseType, type) > 0;
            if (!derives || caseType.IsAbstract || caseType.TypeKind == TypeKind.Interface)
            {
                walker.Report(ContractRule.InvalidUnion, typeLocation, display, $"case '{caseDisplay}' must be a concrete type deriving from it");
                ok = false;
                continue;
            }

            if (!caseTypes.Add(caseType))
            {
                walker.Report(ContractRule.InvalidUnion, typeLocation, display, $"case '{caseDisplay}' is listed more than once");
                ok = false;
                continue;
            }

            string? caseKey = walker.TypeKey(caseType, $"{path} (as {caseType.Name})", location);
            if (caseKey is null)
            {
                ok = false;
                continue;
            }

            cases.Add(new UnionCaseModel { Tag = tag, Type = caseKey, Depth = InheritanceDepth(caseType) });
        }

        if (cases.Count == 0 && ok)
        {
            walker.Report(ContractRule.InvalidUnion, typeLocation, display, "it is abstract and declares no [RpcUnion(tag, typeof(Case))] cases, so nothing concrete can be created when it is read");
            return null;
        }

        return ok
            ? TypeClassifier.Model(type, key, TypeShape.Union, 1) with { Cases = cases.OrderBy(c => c.Tag).ToEquatableArray() }
            : null;
    }

    // How many base types a case has: the emitter matches deeper cases first, so a case deriving from another comes before it.
    private static int InheritanceDepth(INamedTypeSymbol type)
    {
        int depth = 0;
        for (INamedTypeSymbol? current = type.BaseType; current is not null; current = current.BaseType)
        {
            depth++;
        }

        return depth;
    }

    private static int InheritanceDepthBelow(INamedTypeSymbol type, INamedTypeSymbol ancestor)
    {
        int depth = 0;
        for (INamedTypeSymbol? current = type; current is not null; current = current.BaseType)
        {
            if (SymbolEqualityComparer.Default.Equals(current, ancestor))
            {
                return depth;
            }

            depth++;
        }

        return -1;
    }
}
