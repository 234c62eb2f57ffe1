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
            WriteGateway(ref writer, gateway);
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
            gateways.Add(ReadGateway(ref reader));
        }

        reader.EnsureFullyConsumed();
        return (proof, gateways);
    }

    /// <summary>The body of a <see cref="FrameType.Contract"/> frame: one gateway's name, fingerprint and lines.</summary>
    public static void WriteContract(FrameBuffer frame, RpcGatewayDescriptor gateway)
    {
        RpcWriter writer = new(frame);
        WriteGateway(ref writer, gateway);
        writer.Flush();
    }

    public static GatewayContract ReadContract(in ReadOnlySequence<byte> body)
    {
        RpcReader reader = new(body);
        GatewayContract contract = ReadGateway(ref reader);
        reader.EnsureFullyConsumed();
        return contract;
    }

    private static void WriteGateway(ref RpcWriter writer, RpcGatewayDescriptor gateway)
    {
        writer.WriteString(gateway.Name);
        writer.WriteString(gateway.Fingerprint);
        writer.WriteCollectionHeader(gateway.Contract.Count);
        foreach (string line in gateway.Contract)
        {
            writer.WriteString(line);
        }
    }

    private static GatewayContract ReadGateway(ref RpcReader reader)
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

        return new GatewayContract(name, fingerprint, lines);
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
    /// Compares the gateways a peer serves with this process's: each one this process knows too must be compatible
    /// (<see cref="RpcContract"/>). Returns null when they are, else a message saying what differs and where.
    /// </summary>
    /// <param name="remote">The peer's gateways.</param>
    /// <param name="localSide">How the message names this service.</param>
    /// <param name="remoteSide">How the message names the peer.</param>
    public static string? CompareContracts(IEnumerable<GatewayContract> remote, string localSide, string remoteSide)
    {
        List<string> differences = [];
        foreach (GatewayContract gateway in remote)
        {
            if (Check(gateway, localSide, remoteSide) is { IsCompatible: false, Problem: { } problem })
            {
                differences.Add(problem);
            }
        }

        return differences.Count == 0 ? null : "the gateway contracts differ: " + string.Join(" | ", differences);
    }

    /// <summary>Compares a peer's contract for a gateway with this process's; null when this process does not know the gateway.</summary>
    public static ContractCheck? Check(GatewayContract remote, string localSide, string remoteSide) =>
        RpcGatewayRegistry.Find(remote.Name) is not { } mine ? null
        : mine.Fingerprint == remote.Fingerprint ? ContractCheck.Identical
        : RpcContract.Check(remote.Name, mine.Contract, remote.Contract, localSide, remoteSide);

    /// <summary>How contract messages name a service: its node id, and its address or that it has none.</summary>
    public static string Side(string nodeId, string? address) =>
        address is null ? $"service {nodeId} (client mode)" : $"service {nodeId} at {address}";
}
