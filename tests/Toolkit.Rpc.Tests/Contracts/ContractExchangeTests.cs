using System.Buffers;
using Toolkit.Rpc.Tests.Endpoints;
using Toolkit.Rpc.Tests.Fuzz;
using Toolkit.Rpc.Tests.Infrastructure;
using Toolkit.Rpc.Transport.Protocol;

namespace Toolkit.Rpc.Tests.Contracts;

/// <summary>What a service does with the contracts a peer sends, or fails to send, before using a gateway.</summary>
public sealed class ContractExchangeTests
{
    [Fact]
    public async Task A_call_on_a_gateway_whose_contract_the_caller_never_sent_is_refused_and_accepted_once_it_is()
    {
        await using RpcService server = await RpcService.StartAsync(new RpcServiceOptions { Listen = "127.0.0.1:0" });
        await server.StartEndpointAsync(new ProbeEndpoint(), "probe");
        using HostileConnection peer = await HostileConnection.ConnectAsync(server.Address!);
        await peer.HandshakeAsync("contract-less", exchangeContracts: false);
        (RpcMethodDescriptor method, byte[] arguments) = WireRequests.Capture<IProbeGateway>(gateway => gateway.IncrementAsync(2));

        Assert.True(await peer.SendAsync(WireRequests.Request(1, method, -1, "probe", arguments)));
        (ReplyStatus status, string message) = await ReadReplyAsync(peer, 1);
        Assert.Equal(ReplyStatus.Incompatible, status);
        Assert.Contains($"used gateway {typeof(IProbeGateway).FullName} without sending its contract for it first", message, StringComparison.Ordinal);

        Assert.True(await peer.SendAsync((byte[])[.. WireRequests.Contract(RpcGatewayRegistry.Get<IProbeGateway>()), .. WireRequests.Request(2, method, -1, "probe", arguments)]));
        (FrameType type, byte[] body)? answer = await peer.ReadFrameAsync(HostileConnection.Bound);
        Assert.Equal(FrameType.Contract, answer?.type);
        Assert.Equal(ReplyStatus.Ok, (await ReadReplyAsync(peer, 2)).Status);
    }

    [Fact]
    public async Task A_lookup_names_an_incompatible_contract_and_the_connection_goes_on()
    {
        await using RpcService server = await RpcService.StartAsync(new RpcServiceOptions { Listen = "127.0.0.1:0" });
        await server.StartEndpointAsync(new ProbeEndpoint(), "probe");
        using HostileConnection peer = await HostileConnection.ConnectAsync(server.Address!);
        await peer.HandshakeAsync("older-peer", exchangeContracts: false);
        RpcGatewayDescriptor probe = RpcGatewayRegistry.Get<IProbeGateway>();
        string[] older = [.. probe.Contract.Select(line => line == "method IncrementAsync(int) -> long" ? "method IncrementAsync(long) -> long" : line)];
        byte[] contract = HostileConnection.Encode(FrameType.Contract, frame =>
        {
            RpcWriter writer = new(frame);
            writer.WriteString(probe.Name);
            writer.WriteString("another-fingerprint");
            writer.WriteCollectionHeader(older.Length);
            foreach (string line in older)
            {
                writer.WriteString(line);
            }

            writer.Flush();
        });

        Assert.True(await peer.SendAsync((byte[])[.. contract, .. WireRequests.Lookup(5, "probe", probe.Name)]));
        Assert.Equal(FrameType.Contract, (await peer.ReadFrameAsync(HostileConnection.Bound))?.Type);
        (ReplyStatus status, string message) = await ReadReplyAsync(peer, 5);

        Assert.Equal(ReplyStatus.Incompatible, status);
        Assert.Contains("method IncrementAsync is 'method IncrementAsync(int) -> long' at service", message, StringComparison.Ordinal);
        Assert.Contains("but 'method IncrementAsync(long) -> long' at service older-peer (client mode)", message, StringComparison.Ordinal);
        Assert.True(await peer.SendAsync(WireRequests.Lookup(6, "nobody", probe.Name)));
        Assert.Equal(ReplyStatus.NotFound, (await ReadReplyAsync(peer, 6)).Status);
    }

    private static async Task<(ReplyStatus Status, string Message)> ReadReplyAsync(HostileConnection peer, long callId)
    {
        (FrameType type, byte[] body)? reply = await peer.ReadFrameAsync(HostileConnection.Bound);
        Assert.Equal(FrameType.Reply, reply?.type);
        Assert.Equal(callId, BitConverter.ToInt64(reply!.Value.body));
        ReplyStatus status = (ReplyStatus)reply.Value.body[8];
        string message = status == ReplyStatus.Ok ? "" : new RpcReader(new ReadOnlySequence<byte>(reply.Value.body, 9, reply.Value.body.Length - 9)).ReadString() ?? "";
        return (status, message);
    }
}
