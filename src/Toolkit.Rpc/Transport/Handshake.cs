using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using Toolkit.Rpc.Gateways;
using Toolkit.Rpc.Serialization;

namespace Toolkit.Rpc.Transport;

/// <summary>What each side says about itself in <see cref="FrameType.Hello"/> and <see cref="FrameType.Welcome"/>.</summary>
internal sealed record PeerHello(string NodeId, string? Address, byte[] Nonce, int MaxFrameSize, bool HasSecret, byte[] Proof);

/// <summary>One gateway as a peer knows it: name, fingerprint and the contract lines that say what differs.</summary>
internal sealed record GatewayContract(string Name, string Fingerprint, string[] Contract);

/// <summary>
/// The handshake's messages and checks. The client opens with its preamble and <see cref="FrameType.Hello"/>; the
/// server answers with its preamble and <see cref="FrameType.Welcome"/>, carrying its proof of the secret; the client
/// sends <see cref="FrameType.Proof"/> with its own proof and its contracts; the server checks both and answers
/// <see cref="FrameType.Ready"/> with its contracts, or <see cref="FrameType.Refused"/>. Contracts travel only after
/// the secret was proven, and no call is read before the server sent Ready.
/// </summary>
internal static class Handshake
{
    public const int NonceSize = 16;
    private const int MaxGateways = 100_000;

    public static byte[] NewNonce() => RandomNumberGenerator.GetBytes(NonceSize);

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

    public static void WriteHello(FrameBuffer frame, PeerHello hello)
    {
        RpcWriter writer = new(frame);
        writer.WriteString(hello.NodeId);
        writer.WriteString(hello.Address);
        writer.WriteBytes(hello.Nonce);
        writer.WriteUnmanaged(hello.MaxFrameSize);
        writer.WriteUnmanaged(hello.HasSecret);
        writer.WriteBytes(hello.Proof);
        writer.Flush();
    }

    public static PeerHello ReadHello(in ReadOnlySequence<byte> body)
    {
        RpcReader reader = new(body);
        string nodeId = reader.ReadString() ?? throw new ProtocolViolationException("the hello carries no node id");
        string? address = reader.ReadString();
        byte[] nonce = reader.ReadBytes();
        int maxFrameSize = reader.ReadUnmanaged<int>();
        bool hasSecret = reader.ReadUnmanaged<bool>();
        byte[] proof = reader.ReadBytes();
        reader.EnsureFullyConsumed();
        if (nonce.Length != NonceSize || maxFrameSize < 1024 || proof.Length is not (0 or 32) || nodeId.Length is 0 or > 256 || address is { Length: > 1024 })
        {
            throw new ProtocolViolationException("the hello is malformed");
        }

        return new PeerHello(nodeId, address, nonce, maxFrameSize, hasSecret, proof);
    }

    /// <summary>The proof (maybe empty) followed by the gateways the service serves: those its endpoints implement.</summary>
    public static void WriteContracts(FrameBuffer frame, byte[] proof, IReadOnlyCollection<RpcGatewayDescriptor> gateways)
    {
        RpcWriter writer = new(frame);
        writer.WriteBytes(proof);
        writer.WriteCollectionHeader(gateways.Count);
        foreach (RpcGatewayDescriptor gateway in gateways)
        {
            writer.WriteString(gateway.Name);
            writer.WriteString(gateway.Fingerprint);
            writer.WriteCollectionHeader(gateway.Contract.Count);
            foreach (string line in gateway.Contract)
            {
                writer.WriteString(line);
            }
        }

        writer.Flush();
    }

    public static (byte[] Proof, List<GatewayContract> Gateways) ReadContracts(in ReadOnlySequence<byte> body)
    {
        RpcReader reader = new(body);
        byte[] proof = reader.ReadBytes();
        if (!reader.TryReadCollectionHeader(out int count, 8) || count > MaxGateways)
        {
            throw new ProtocolViolationException("the gateway list is malformed");
        }

        List<GatewayContract> gateways = new(count);
        for (int i = 0; i < count; i++)
        {
            string name = reader.ReadString() ?? throw new ProtocolViolationException("a gateway has no name");
            string fingerprint = reader.ReadString() ?? throw new ProtocolViolationException("a gateway has no fingerprint");
            if (!reader.TryReadCollectionHeader(out int lineCount, 4))
            {
                throw new ProtocolViolationException("a gateway has no contract");
            }

            string[] lines = new string[lineCount];
            for (int j = 0; j < lineCount; j++)
            {
                lines[j] = reader.ReadString() ?? "";
            }

            gateways.Add(new GatewayContract(name, fingerprint, lines));
        }

        reader.EnsureFullyConsumed();
        return (proof, gateways);
    }

    public static void WriteRefusal(FrameBuffer frame, string reason)
    {
        RpcWriter writer = new(frame);
        writer.WriteString(reason);
        writer.Flush();
    }

    public static string ReadRefusal(in ReadOnlySequence<byte> body)
    {
        RpcReader reader = new(body);
        return reader.ReadString() ?? "no reason given";
    }

    /// <summary>
    /// Compares the gateways a peer serves with this process's: each one this process knows too must have the same
    /// contract. Returns null when they agree, else a message saying what differs.
    /// </summary>
    public static string? CompareContracts(IEnumerable<GatewayContract> remote)
    {
        List<string> differences = [];
        foreach (GatewayContract gateway in remote)
        {
            if (RpcGatewayRegistry.Find(gateway.Name) is { } mine && mine.Fingerprint != gateway.Fingerprint)
            {
                differences.Add(RpcContract.Compare(gateway.Name, mine.Contract, gateway.Contract)
                    ?? $"gateway {gateway.Name} has fingerprint {mine.Fingerprint} here and {gateway.Fingerprint} there");
            }
        }

        return differences.Count == 0 ? null : "the gateway contracts differ: " + string.Join(" | ", differences);
    }
}
