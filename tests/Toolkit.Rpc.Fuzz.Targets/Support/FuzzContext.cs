using Toolkit.Rpc.Serialization;

namespace Toolkit.Rpc.Fuzz;

/// <summary>
/// Resolves the gateways inside fuzzed messages as a service would, to a generated proxy, but over a
/// <see cref="CapturingTarget"/>: the fuzz reads references, it never connects to what they name. It reads as a
/// connection does whose peer is a newer version: every object type of the fuzz gateway has two more members there,
/// so data with more members than a type knows is skipped by that contract, as after a rolling upgrade.
/// </summary>
internal sealed class FuzzContext : RpcSerializationContext
{
    private static readonly WireSchema NewerPeer = WireSchema.Parse(
        RpcGatewayRegistry.Get<Messages.IFuzzGateway>().Contract
            .Select(line => WireSchema.ParseType(line) is { Kind: WireKind.Object or WireKind.Struct } type
                ? line[..^1] + (type.Members!.Length == 0 ? "" : ", ") + "AddedText: string, AddedList: System.Collections.Generic.List<int> }"
                : line)
            .Append("type System.Collections.Generic.List<int>: collection of int")
            .Append("type int: 4 raw bytes")
            .Append("type string: utf-8 string"));

    public static FuzzContext Instance { get; } = new();

    internal override WireSchema? PeerSchema => NewerPeer;

    public override TGateway ResolveGateway<TGateway>(RpcEndpointReference reference) =>
        (TGateway)RpcGatewayRegistry.Get<TGateway>().CreateProxy(new CapturingTarget(reference, this));
}
