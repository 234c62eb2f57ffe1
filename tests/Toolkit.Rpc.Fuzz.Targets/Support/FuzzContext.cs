using Toolkit.Rpc.Gateways;
using Toolkit.Rpc.Serialization;

namespace Toolkit.Rpc.Fuzz;

/// <summary>
/// Resolves the gateways inside fuzzed messages as a service would, to a generated proxy, but over a
/// <see cref="CapturingTarget"/>: the fuzz reads references, it never connects to what they name.
/// </summary>
internal sealed class FuzzContext : RpcSerializationContext
{
    public static FuzzContext Instance { get; } = new();

    public override TGateway ResolveGateway<TGateway>(RpcEndpointReference reference) =>
        (TGateway)RpcGatewayRegistry.Get<TGateway>().CreateProxy(new CapturingTarget(reference, this));
}
