using System.Diagnostics;

namespace Toolkit.Rpc;

/// <summary>
/// Identifies an endpoint on the wire: the service that hosts it and the endpoint's name. A gateway inside a
/// message travels as this reference and becomes a proxy again on the receiving side.
/// </summary>
/// <param name="NodeId">The unique id of the hosting <see cref="RpcService"/>.</param>
/// <param name="Address">The hosting service's listen address, or null when it has no listener (client mode).</param>
/// <param name="EndpointName">The endpoint's name within its service.</param>
[DebuggerDisplay("{ToString(),nq}")]
public sealed record RpcEndpointReference(string NodeId, string? Address, string EndpointName)
{
    /// <summary>The endpoint's address as <c>rpc://host:port/name</c>, or <c>rpc://node/name</c> without a listener.</summary>
    public override string ToString() => $"rpc://{Address ?? NodeId}/{EndpointName}";

    internal void Write(ref RpcWriter writer)
    {
        writer.WriteObjectHeader(3);
        writer.WriteString(NodeId);
        writer.WriteString(Address);
        writer.WriteString(EndpointName);
    }

    internal static RpcEndpointReference Read(ref RpcReader reader, byte memberCount)
    {
        if (memberCount != 3)
        {
            ThrowHelper.ThrowMalformed($"an endpoint reference has {memberCount} members instead of 3");
        }

        string? nodeId = reader.ReadString();
        string? address = reader.ReadString();
        string? name = reader.ReadString();
        if (nodeId is null || name is null)
        {
            ThrowHelper.ThrowMalformed("an endpoint reference lacks its node id or endpoint name");
        }

        return new RpcEndpointReference(nodeId, address, name);
    }
}
