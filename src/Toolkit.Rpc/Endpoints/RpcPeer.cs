using System.Diagnostics;

namespace Toolkit.Rpc;

/// <summary>Another service this one is connected to, as endpoints hear of it in <c>OnRemoteConnected</c> and <c>OnRemoteDisconnected</c>.</summary>
/// <param name="NodeId">The peer service's node id.</param>
/// <param name="Address">The peer's listen address (<c>host:port</c>), or null for a client-mode service without a listener.</param>
/// <param name="RemoteEndPoint">The socket address the connection goes to or comes from.</param>
/// <param name="IsInbound">Whether the peer opened the connection.</param>
[DebuggerDisplay("{ToString(),nq}")]
public sealed record RpcPeer(string NodeId, string? Address, string RemoteEndPoint, bool IsInbound)
{
    /// <summary>The peer as <c>rpc://address</c>, or as a client-mode node and where it connects from.</summary>
    public override string ToString() => Address is { } address ? $"rpc://{address}" : $"client-mode service {NodeId} at {RemoteEndPoint}";
}
