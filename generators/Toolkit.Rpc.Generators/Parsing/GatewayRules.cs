using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Microsoft.CodeAnalysis;
using Toolkit.Rpc.Generators.Model;

namespace Toolkit.Rpc.Generators.Parsing;

/// <summary>The rules for a gateway interface as a whole: not generic, accessible, only methods, and distinct method ids.</summary>
internal static class GatewayRules
{
    /// <summary>The models of the gateway's methods, its own first, then those of the interfaces it extends.</summary>
    public static IReadOnlyList<MethodModel> Methods(ContractWalker walker, INamedTypeSymbol gateway)
    {
        Location? location = gateway.Locations.FirstOrDefault();
        string display = SymbolNames.Display(gateway);
        if (gateway.IsGenericType)
        {
            walker.Report(ContractRule.GenericGateway, location, display);
            return Array.Empty<MethodModel>();
        }

        if (!AccessibilityRule.IsAccessible(walker, gateway, display, location))
        {
            return Array.Empty<MethodModel>();
        }

        // [RpcFenced] on the gateway fences the methods it inherits too; on an interface it extends, that interface's own.
        bool gatewayFenced = KnownTypeSymbols.HasAttribute(gateway, walker.Known.FencedAttribute);
        List<MethodModel> methods = new();
        List<Location?> methodLocations = new();
        foreach (INamedTypeSymbol declaring in new[] { gateway }.Concat(gateway.AllInterfaces))
        {
            foreach (ISymbol member in declaring.GetMembers())
            {
                walker.Cancellation.ThrowIfCancellationRequested();
                if (Member(walker, declaring, member, gatewayFenced || KnownTypeSymbols.HasAttribute(declaring, walker.Known.FencedAttribute)) is { } method)
                {
                    methods.Add(method);
                    methodLocations.Add(member.Locations.FirstOrDefault());
                }
            }
        }

        foreach (IGrouping<int, int> collision in Enumerable.Range(0, methods.Count).GroupBy(index => methods[index].Id).Where(group => group.Count() > 1))
        {
            int[] colliding = collision.ToArray();
            Location? second = methodLocations[colliding[1]];
            walker.Report(
                ContractRule.MethodIdCollision,
                second is { IsInSource: true } ? second : location,
                Qualified(methods[colliding[0]]),
                Qualified(methods[colliding[1]]),
                unchecked((uint)collision.Key).ToString("X8", CultureInfo.InvariantCulture));
        }

        return methods;
    }

    private static MethodModel? Member(ContractWalker walker, INamedTypeSymbol declaring, ISymbol member, bool fenced)
    {
        string gatewayDisplay = SymbolNames.Display(declaring);
        Location? location = member.Locations.FirstOrDefault();
        switch (member)
        {
            case IMethodSymbol { MethodKind: MethodKind.Ordinary, IsStatic: false, IsAbstract: true } method:
                if (method.IsGenericMethod)
                {
                    walker.Report(ContractRule.UnsupportedGatewayMember, location, gatewayDisplay, "the generic method", method.Name);
                    return null;
                }

                return MethodRules.Method(walker, declaring, method, fenced);
            case IMethodSymbol { IsStatic: true, IsAbstract: true }:
                walker.Report(ContractRule.UnsupportedGatewayMember, location, gatewayDisplay, "the static abstract member", member.Name);
                return null;
            case IPropertySymbol { IsStatic: false } property:
                walker.Report(ContractRule.UnsupportedGatewayMember, location, gatewayDisplay, property.IsIndexer ? "the indexer" : "the property", member.Name);
                return null;
            case IEventSymbol { IsStatic: false }:
                walker.Report(ContractRule.UnsupportedGatewayMember, location, gatewayDisplay, "the event", member.Name);
                return null;
            default:
                // Accessors, static helpers and default-implemented members need no remote form.
                return null;
        }
    }

    private static string Qualified(MethodModel method)
    {
        string declaring = method.DeclaringInterface.StartsWith("global::", StringComparison.Ordinal)
            ? method.DeclaringInterface.Substring("global::".Length)
            : method.DeclaringInterface;
        return $"{declaring}.{method.Name}";
    }
}
