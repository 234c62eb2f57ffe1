using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Toolkit.Rpc.Generators.Model;
using Toolkit.Rpc.Generators.Parsing;

namespace Toolkit.Rpc.Generators;

public sealed partial class RpcGenerator
{
    /// <summary>
    /// Turns symbols into models: a gateway through the walk it shares with the analyzers (<see cref="ContractWalker"/>),
    /// plus what only generated code needs from the whole type graph; and endpoint classes.
    /// </summary>
    internal static class Parser
    {
        /// <summary>The model of a gateway, or null when it breaks a contract rule (the analyzers report which).</summary>
        public static GatewayModel? ParseGateway(ISymbol target, KnownTypeSymbols known, CancellationToken cancellation)
        {
            if (target is not INamedTypeSymbol { TypeKind: TypeKind.Interface } gateway)
            {
                return null;
            }

            GatewayContract contract = ContractWalker.Walk(gateway, known, cancellation);
            if (contract.Problems.Count > 0)
            {
                return null;
            }

            string key = SymbolNames.Key(gateway);
            EquatableArray<TypeModel> types = MarkRecursive(contract.Types)
                .OrderBy(type => type.FullyQualifiedName, StringComparer.Ordinal)
                .ToEquatableArray();
            EquatableArray<MethodModel> methods = contract.Methods.ToEquatableArray();
            EquatableArray<string> lines = ContractDescription.Lines(methods, types);
            string displayName = gateway.ToDisplayString();
            return new GatewayModel
            {
                FullyQualifiedName = key,
                DisplayName = displayName,
                SimpleName = gateway.Name,
                Identifier = Identifiers.FromKey(key),
                Id = StableHash.Of32(displayName),
                Fingerprint = ContractDescription.Fingerprint(lines),
                Contract = lines,
                Methods = methods,
                Types = types,
            };
        }

        /// <summary>The model of a concrete endpoint class and the gateways it implements, or null when it is none.</summary>
        public static EndpointModel? ParseEndpoint(ISymbol? declared, KnownTypeSymbols known)
        {
            Compilation compilation = known.Compilation;
            if (declared is not INamedTypeSymbol { TypeKind: TypeKind.Class, IsAbstract: false, IsGenericType: false } type
                || !KnownTypeSymbols.DerivesFrom(type, known.Endpoint)
                || !compilation.IsSymbolAccessibleWithin(type, compilation.Assembly))
            {
                return null;
            }

            List<GatewayReference> gateways = new();
            foreach (INamedTypeSymbol candidate in type.AllInterfaces)
            {
                if (KnownTypeSymbols.HasAttribute(candidate, known.GatewayAttribute) && !candidate.IsGenericType)
                {
                    string key = SymbolNames.Key(candidate);
                    gateways.Add(new GatewayReference
                    {
                        FullyQualifiedName = key,
                        Identifier = Identifiers.FromKey(key),
                        IsLocal = SymbolEqualityComparer.Default.Equals(candidate.ContainingAssembly, compilation.Assembly),
                    });
                }
            }

            return gateways.Count == 0 ? null : new EndpointModel { FullyQualifiedName = SymbolNames.Key(type), Gateways = gateways.ToEquatableArray() };
        }

        /// <summary>Marks the objects that can reach themselves through members, elements, keys or union cases.</summary>
        private static IEnumerable<TypeModel> MarkRecursive(IEnumerable<TypeModel> types)
        {
            Dictionary<string, TypeModel> byName = types.ToDictionary(type => type.FullyQualifiedName, StringComparer.Ordinal);

            IEnumerable<string> Edges(TypeModel type) => type.Members.Select(member => member.Type)
                .Concat(type.Cases.Select(unionCase => unionCase.Type))
                .Concat(new[] { type.ElementType, type.KeyType }.Where(name => name is not null).Select(name => name!));

            bool ReachesItself(TypeModel start)
            {
                HashSet<string> seen = new(StringComparer.Ordinal);
                Stack<string> pending = new(Edges(start));
                while (pending.Count > 0)
                {
                    string name = pending.Pop();
                    if (name == start.FullyQualifiedName)
                    {
                        return true;
                    }

                    if (seen.Add(name) && byName.TryGetValue(name, out TypeModel? next))
                    {
                        foreach (string edge in Edges(next))
                        {
                            pending.Push(edge);
                        }
                    }
                }

                return false;
            }

            return byName.Values.Select(type => type.Shape == TypeShape.Object && ReachesItself(type) ? type with { IsRecursive = true } : type);
        }
    }
}
