using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Toolkit.Rpc.Generators.Model;

namespace Toolkit.Rpc.Generators.Parsing;

/// <summary>
/// Records, classes and structs with members: which members travel, in which order, and how a reader creates the
/// value again (a constructor whose parameters match members, then initializers).
/// </summary>
internal static class ObjectShapes
{
    // The member count is a byte, and MemoryPack keeps 250–255 for null and its own markers.
    private const int MaxMembers = 249;

    public static TypeModel? Object(ContractWalker walker, INamedTypeSymbol type, string key, string path, Location? location)
    {
        string display = SymbolNames.Display(type);
        Location? typeLocation = type.Locations.FirstOrDefault(l => l.IsInSource) ?? location;
        List<ISymbol> candidates = Candidates(walker.Known, type, out IAssemblySymbol? exceptionAssembly);
        IMethodSymbol? constructor = ChooseConstructor(walker.Known, type, candidates, out string? problem);
        if (constructor is null && !(type.IsValueType && problem is null))
        {
            walker.Report(ContractRule.NotConstructible, typeLocation, display, problem ?? "it has no public constructor");
            return null;
        }

        List<MemberModel> members = new();
        bool ok = true;
        foreach (ISymbol candidate in candidates)
        {
            int position = constructor is null ? -1 : IndexOfParameter(constructor, candidate);
            bool settable = candidate switch
            {
                IPropertySymbol property => property.SetMethod is { DeclaredAccessibility: Accessibility.Public },
                IFieldSymbol field => !field.IsReadOnly,
                _ => false,
            };
            if (position < 0 && !settable && exceptionAssembly is not null && SymbolEqualityComparer.Default.Equals(candidate.ContainingAssembly, exceptionAssembly))
            {
                // A fault's message travels with it anyway: as a member only when its constructor takes it.
                continue;
            }

            string? memberKey = walker.TypeKey(TypeOf(candidate), $"{path}.{candidate.Name}", location);
            ok &= memberKey is not null;
            // Get-only and not set by the constructor (computed from other members, most often): written as MemoryPack
            // writes every public member, skipped when read.
            members.Add(new MemberModel
            {
                Name = SymbolNames.EscapeIdentifier(candidate.Name),
                Type = memberKey ?? "",
                ConstructorPosition = position,
                IsComputed = position < 0 && !settable,
            });
        }

        if (constructor is not null)
        {
            foreach (IParameterSymbol parameter in constructor.Parameters)
            {
                if (!members.Any(member => member.ConstructorPosition == parameter.Ordinal))
                {
                    walker.Report(ContractRule.NotConstructible, typeLocation, display, $"constructor parameter '{parameter.Name}' matches no public member of the same type");
                    return null;
                }
            }
        }

        if (members.Count > MaxMembers)
        {
            walker.Report(ContractRule.NotConstructible, typeLocation, display, $"it has {members.Count} members; at most {MaxMembers} fit the wire format");
            return null;
        }

        return ok
            ? TypeClassifier.Model(type, key, TypeShape.Object, 1) with { Members = members.ToEquatableArray(), FixedSize = FixedSize(walker, members) }
            : null;
    }

    // A header byte and raw members only: the same size every time. (A member still being walked is never raw.)
    private static int? FixedSize(ContractWalker walker, List<MemberModel> members)
    {
        int size = 1;
        foreach (MemberModel member in members)
        {
            if (walker.ModelOf(member.Type) is not { Shape: TypeShape.Unmanaged or TypeShape.DateTimeOffset } raw)
            {
                return null;
            }

            size += raw.MinimumSize;
        }

        return size;
    }

    // The public instance properties and fields, base types' first; of an exception (a declared fault), its own types'
    // members and, of the runtime's, only its message.
    private static List<ISymbol> Candidates(KnownTypeSymbols known, INamedTypeSymbol type, out IAssemblySymbol? exceptionAssembly)
    {
        List<ISymbol> candidates = new();
        Stack<INamedTypeSymbol> chain = new();
        exceptionAssembly = null;
        for (INamedTypeSymbol? current = type; current is not null && current.SpecialType != SpecialType.System_Object && current.SpecialType != SpecialType.System_ValueType; current = current.BaseType)
        {
            if (KnownTypeSymbols.Is(current, known.Exception))
            {
                exceptionAssembly = current.ContainingAssembly;
                candidates.AddRange(current.GetMembers("Message").OfType<IPropertySymbol>());
                break;
            }

            chain.Push(current);
        }

        if (exceptionAssembly is not null)
        {
            IAssemblySymbol runtime = exceptionAssembly;
            chain = new Stack<INamedTypeSymbol>(chain.Reverse().Where(level => !SymbolEqualityComparer.Default.Equals(level.ContainingAssembly, runtime)));
        }

        foreach (INamedTypeSymbol level in chain)
        {
            foreach (ISymbol member in level.GetMembers())
            {
                if (member.IsStatic || member.IsImplicitlyDeclared && member is IFieldSymbol || member.DeclaredAccessibility != Accessibility.Public || KnownTypeSymbols.HasAttribute(member, known.IgnoreAttribute))
                {
                    continue;
                }

                if (member is IPropertySymbol { IsIndexer: false, IsOverride: false, GetMethod.DeclaredAccessibility: Accessibility.Public } property && property.Name != "EqualityContract")
                {
                    candidates.Add(property);
                }
                else if (member is IFieldSymbol { IsConst: false } field && !field.IsImplicitlyDeclared)
                {
                    candidates.Add(field);
                }
            }
        }

        // A member hidden with 'new' by a more derived one is not reachable as value.Name; the most derived one is the data.
        return candidates.Where((candidate, index) => !candidates.Skip(index + 1).Any(later => later.Name == candidate.Name)).ToList();
    }

    private static IMethodSymbol? ChooseConstructor(KnownTypeSymbols known, INamedTypeSymbol type, List<ISymbol> candidates, out string? problem)
    {
        problem = null;
        IMethodSymbol[] constructors = type.InstanceConstructors
            .Where(c => c.DeclaredAccessibility == Accessibility.Public && !IsCopyConstructor(type, c))
            .ToArray();
        IMethodSymbol? marked = constructors.FirstOrDefault(c => KnownTypeSymbols.HasAttribute(c, known.ConstructorAttribute));
        if (marked is not null)
        {
            if (marked.Parameters.All(parameter => MatchMember(parameter, candidates) is not null))
            {
                return marked;
            }

            problem = "a parameter of its [RpcConstructor] constructor matches no public member of the same name and type";
            return null;
        }

        IMethodSymbol? matching = constructors
            .Where(c => c.Parameters.Length > 0 && c.Parameters.All(parameter => MatchMember(parameter, candidates) is not null))
            .OrderByDescending(c => c.Parameters.Length)
            .FirstOrDefault();
        if (matching is not null)
        {
            return matching;
        }

        IMethodSymbol? parameterless = constructors.FirstOrDefault(c => c.Parameters.Length == 0);
        if (parameterless is not null || type.IsValueType)
        {
            return parameterless;
        }

        problem = constructors.Length == 0
            ? "it has no public constructor"
            : "no public constructor has parameters that all match public members by name and type, and there is no public parameterless constructor; add one or mark one [RpcConstructor]";
        return null;
    }

    private static bool IsCopyConstructor(INamedTypeSymbol type, IMethodSymbol constructor) =>
        type.IsRecord && constructor.Parameters.Length == 1 && SymbolEqualityComparer.Default.Equals(constructor.Parameters[0].Type, type);

    private static ISymbol? MatchMember(IParameterSymbol parameter, List<ISymbol> candidates) => candidates.FirstOrDefault(candidate =>
        string.Equals(candidate.Name, parameter.Name, StringComparison.OrdinalIgnoreCase)
        && SymbolEqualityComparer.Default.Equals(
            TypeOf(candidate).WithNullableAnnotation(NullableAnnotation.NotAnnotated),
            parameter.Type.WithNullableAnnotation(NullableAnnotation.NotAnnotated)));

    private static int IndexOfParameter(IMethodSymbol constructor, ISymbol member)
    {
        foreach (IParameterSymbol parameter in constructor.Parameters)
        {
            if (string.Equals(parameter.Name, member.Name, StringComparison.OrdinalIgnoreCase))
            {
                return parameter.Ordinal;
            }
        }

        return -1;
    }

    private static ITypeSymbol TypeOf(ISymbol member) => member is IPropertySymbol property ? property.Type : ((IFieldSymbol)member).Type;
}
