using System;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Toolkit.Rpc.Generators.Emitting;
using Toolkit.Rpc.Generators.Model;

namespace Toolkit.Rpc.Generators;

public sealed partial class RpcGenerator
{
    /// <summary>
    /// Turns models into the generated files: one per gateway, and the serializers and the module registration shared
    /// by all of them, each written by its own class in Emitting. Sees only models: never a compilation or a symbol.
    /// </summary>
    internal static class Emitter
    {
        /// <summary>The file of <paramref name="gateway"/>: its descriptors, invocations and proxy.</summary>
        public static void EmitGateway(SourceProductionContext output, GatewayModel gateway, string ns) =>
            output.AddSource($"{GeneratedFiles.GatewayClass(gateway.Identifier)}.g.cs", GatewayEmitter.Emit(gateway, ns));

        /// <summary>The serializers of every type the gateways reach, each once, and the registration of gateways and endpoints.</summary>
        public static void EmitModule(SourceProductionContext output, ImmutableArray<GatewayModel> gateways, ImmutableArray<EndpointModel> endpoints, string ns)
        {
            if (gateways.IsEmpty && endpoints.IsEmpty)
            {
                return;
            }

            // Ordered by name, so that the output does not depend on the order the parser saw declarations in.
            GatewayModel[] orderedGateways = gateways.OrderBy(g => g.FullyQualifiedName, StringComparer.Ordinal).ToArray();
            TypeModel[] types = orderedGateways
                .SelectMany(gateway => gateway.Types)
                .GroupBy(type => type.FullyQualifiedName, StringComparer.Ordinal)
                .Select(group => group.First())
                .OrderBy(type => type.FullyQualifiedName, StringComparer.Ordinal)
                .ToArray();
            EndpointModel[] orderedEndpoints = endpoints
                .GroupBy(endpoint => endpoint.FullyQualifiedName, StringComparer.Ordinal)
                .Select(group => group.First())
                .OrderBy(endpoint => endpoint.FullyQualifiedName, StringComparer.Ordinal)
                .ToArray();
            output.AddSource("Serializers.g.cs", SerializersEmitter.Emit(types, ns));
            output.AddSource("RpcModuleRegistration.g.cs", RegistrationEmitter.Emit(orderedGateways, orderedEndpoints, ns));
        }
    }
}
