using Toolkit.Rpc.Tests.Fuzz;
using Toolkit.Rpc.Tests.Infrastructure;
using Toolkit.Rpc.Transport.Protocol;

namespace Toolkit.Rpc.Tests.Streams;

/// <summary>
/// A producer as a raw consumer sees it on the wire: it sends the initial credit and no more until credit comes,
/// stops on a cancel frame with a Cancelled reply, and a malformed credit frame closes the connection.
/// </summary>
public sealed class ItemStreamWireTests
{
    [Fact]
    public async Task A_producer_sends_only_what_it_has_credit_for_and_stops_on_a_cancel_frame()
    {
        await using RpcService server = await RpcService.StartAsync(new RpcServiceOptions { Listen = "127.0.0.1:0" });
        StreamEndpoint endpoint = new();
        await server.StartEndpointAsync(endpoint, "streams");
        using HostileConnection consumer = await HostileConnection.ConnectAsync(server.Address!);
        await consumer.HandshakeAsync("raw-consumer", exchangeContracts: false);
        RpcGatewayDescriptor gateway = RpcGatewayRegistry.Get<IStreamGateway>();
        Assert.True(await consumer.SendAsync(WireRequests.Contract(gateway)));
        Assert.Equal(FrameType.Contract, (await consumer.ReadFrameAsync(HostileConnection.Bound))?.Type);
        RpcMethodDescriptor count = gateway.Methods.Single(method => method.Name == nameof(IStreamGateway.CountAsync));

        Assert.True(await consumer.SendAsync(WireRequests.Request(1, count, -1, "streams", BitConverter.GetBytes(int.MaxValue))));
        Assert.Equal(StreamCreditFrame.InitialCredit, await ReadItemsAsync(consumer, StreamCreditFrame.InitialCredit));
        // Without credit the producer is parked: it has produced exactly what it was granted.
        Assert.Equal(StreamCreditFrame.InitialCredit, endpoint.Produced);

        Assert.True(await consumer.SendAsync(HostileConnection.Encode(FrameType.StreamCredit, frame => StreamCreditFrame.Write(frame, 1, 100))));
        Assert.Equal(100, await ReadItemsAsync(consumer, 100));
        Assert.Equal(StreamCreditFrame.InitialCredit + 100, endpoint.Produced);

        Assert.True(await consumer.SendAsync(WireRequests.Cancel(1)));
        (FrameType Type, byte[] Body)? reply = await consumer.ReadFrameAsync(HostileConnection.Bound);
        Assert.Equal(FrameType.Reply, reply?.Type);
        Assert.Equal(ReplyStatus.Cancelled, ReplyFrame.Read(new(reply!.Value.Body)).Status);
        await Eventually.True(() => endpoint.Finished == 1, "the producer ran its finally block");

        // A credit of zero is no credit frame: the service closes the connection.
        Assert.True(await consumer.SendAsync(HostileConnection.Encode(FrameType.StreamCredit, frame => StreamCreditFrame.Write(frame, 1, 0))));
        Assert.True(await consumer.WaitForCloseAsync(HostileConnection.Bound, []), "a malformed credit frame left the connection open");
    }

    // Items of CountAsync are 4-byte ints after the 8-byte call id; returns how many arrived in the frames read.
    private static async Task<int> ReadItemsAsync(HostileConnection consumer, int expected)
    {
        int items = 0;
        while (items < expected)
        {
            (FrameType Type, byte[] Body)? frame = await consumer.ReadFrameAsync(HostileConnection.Bound);
            Assert.Equal(FrameType.StreamItems, frame?.Type);
            Assert.Equal(1L, BitConverter.ToInt64(frame!.Value.Body));
            items += (frame.Value.Body.Length - StreamItemsFrame.FixedSize) / sizeof(int);
        }

        return items;
    }
}
