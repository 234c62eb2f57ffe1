using System;
using System.Collections.Generic;
using System.Linq;
using Toolkit.Rpc.Generators.Model;
using static Toolkit.Rpc.Generators.KnownNames;

namespace Toolkit.Rpc.Generators.Emitting;

/// <summary>The module initializer that registers the serializers, the gateways and the endpoints' dispatch tables.</summary>
internal static class RegistrationEmitter
{
    public static string Emit(IEnumerable<GatewayModel> gateways, IEnumerable<EndpointModel> endpoints, string ns)
    {
        SourceWriter w = new();
        w.Line(GeneratedFiles.Header).Open("namespace " + ns);
        w.Line("/// <summary>Registers this assembly's generated serializers, gateways and endpoint dispatch tables when it loads.</summary>");
        w.Line($"[{GeneratedCode}]");
        w.Open("internal static class RpcModuleRegistration");
        w.Line("[global::System.Runtime.CompilerServices.ModuleInitializer]");
        w.Open("internal static void Register()");
        w.Line("Serializers.RegisterAll();");
        HashSet<string> generated = new(StringComparer.Ordinal);
        foreach (GatewayModel gateway in gateways)
        {
            generated.Add(gateway.FullyQualifiedName);
            w.Line($"{GatewayRegistry}.Register<{gateway.FullyQualifiedName}>({GeneratedFiles.GatewayClass(gateway.Identifier)}.Descriptor);");
        }

        foreach (EndpointModel endpoint in endpoints)
        {
            // A local gateway with contract errors has no generated class to refer to; its diagnostics say why.
            GatewayReference[] implemented = endpoint.Gateways.Where(g => !g.IsLocal || generated.Contains(g.FullyQualifiedName)).ToArray();
            if (implemented.Length == 0)
            {
                continue;
            }

            string descriptors = string.Join(", ", implemented.Select(g => g.IsLocal
                ? $"{GeneratedFiles.GatewayClass(g.Identifier)}.Descriptor"
                : $"{GatewayRegistry}.Get<{g.FullyQualifiedName}>()"));
            w.Line($"{GatewayRegistry}.RegisterEndpoint(typeof({endpoint.FullyQualifiedName}), new {GatewayDescriptor}[] {{ {descriptors} }});");
        }

        w.Close().Close().Close();
        return w.ToString();
    }
}
