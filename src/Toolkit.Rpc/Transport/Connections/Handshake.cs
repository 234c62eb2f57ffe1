using System.Security.Cryptography;
using System.Text;
using Toolkit.Rpc.Transport.Protocol;

namespace Toolkit.Rpc.Transport;

/// <summary>
/// The handshake's checks: the proof of the shared secret, and the comparison of the peer's contracts with this
/// process's. The client opens with its preamble and <see cref="FrameType.Hello"/>; the server answers with its
/// preamble and <see cref="FrameType.Welcome"/>, carrying its proof of the secret; the client sends
/// <see cref="FrameType.Proof"/> with its own proof and its contracts; the server checks both and answers
/// <see cref="FrameType.Ready"/> with its contracts, or <see cref="FrameType.Refused"/>. Contracts travel only after
/// the secret was proven, and no call is read before the server sent Ready.
/// </summary>
internal static class Handshake
{
    public static byte[] NewNonce() => RandomNumberGenerator.GetBytes(HelloFrame.NonceSize);

    /// <summary>HMAC-SHA256 of the role and both nonces under the secret: proves the secret without sending it.</summary>
    public static byte[] Prove(string? secret, string role, byte[] clientNonce, byte[] serverNonce)
    {
        if (secret is null)
        {
            return [];
        }

        byte[] message = [.. Encoding.ASCII.GetBytes(role), .. clientNonce, .. serverNonce];
        return HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), message);
    }

    public static bool Verify(string secret, string role, byte[] clientNonce, byte[] serverNonce, byte[] proof) =>
        CryptographicOperations.FixedTimeEquals(Prove(secret, role, clientNonce, serverNonce), proof);

    /// <summary>
    /// Compares the gateways a peer serves with this process's: each one this process knows too must be compatible
    /// (<see cref="RpcContract"/>). Returns null when they are, else a message saying what differs and where.
    /// </summary>
    /// <param name="remote">The peer's gateways.</param>
    /// <param name="localSide">How the message names this service.</param>
    /// <param name="remoteSide">How the message names the peer.</param>
    public static string? CompareContracts(IEnumerable<ContractFrame> remote, string localSide, string remoteSide)
    {
        List<string> differences = [];
        foreach (ContractFrame gateway in remote)
        {
            if (Check(gateway, localSide, remoteSide) is { IsCompatible: false, Problem: { } problem })
            {
                differences.Add(problem);
            }
        }

        return differences.Count == 0 ? null : "the gateway contracts differ: " + string.Join(" | ", differences);
    }

    /// <summary>Compares a peer's contract for a gateway with this process's; null when this process does not know the gateway.</summary>
    public static ContractCheck? Check(ContractFrame remote, string localSide, string remoteSide) =>
        RpcGatewayRegistry.Find(remote.Name) is not { } mine ? null
        : mine.Fingerprint == remote.Fingerprint ? ContractCheck.Identical
        : RpcContract.Check(remote.Name, mine.Contract, remote.Contract, localSide, remoteSide);

    /// <summary>How contract messages name a service: its node id, and its address or that it has none.</summary>
    public static string Side(string nodeId, string? address) =>
        address is null ? $"service {nodeId} (client mode)" : $"service {nodeId} at {address}";
}
