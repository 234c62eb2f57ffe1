using System.Buffers;
using Toolkit.Rpc.Tests.Fuzz;
using Toolkit.Rpc.Transport.Protocol;

namespace Toolkit.Rpc.Tests.Transport;

/// <summary>
/// The bytes of every frame, pinned: a change to any of them is a change of the wire protocol (and of
/// <see cref="Frames.ProtocolVersion"/>), never a side effect of moving code. Each frame also reads back as written.
/// </summary>
public sealed class FrameLayoutTests
{
    private static readonly byte[] Nonce = [.. Enumerable.Range(1, HelloFrame.NonceSize).Select(i => (byte)i)];

    public static TheoryData<string, string> Frames() => new()
    {
        { "preamble", Hex(Preamble()) },
        { "hello", Encode(FrameType.Hello, frame => new HelloFrame("node-1", "127.0.0.1:5000", Nonce, 1 << 20, true, []).Write(frame)) },
        { "refused", Encode(FrameType.Refused, frame => RefusedFrame.Write(frame, "go away")) },
        { "request", Encode(FrameType.Request, frame => { RequestFrame.WriteHeader(frame, 7, 0x11223344, 0x55667788, 1500, "probe"u8); frame.WriteBytes([0xAA, 0xBB]); }) },
        { "extended request", Encode(FrameType.ExtendedRequest, frame => { new RequestExtensions { Epoch = 5 }.Write(frame); RequestFrame.WriteHeader(frame, 7, 0x11223344, 0x55667788, 1500, "probe"u8); frame.WriteBytes([0xAA, 0xBB]); }) },
        { "reply", Encode(FrameType.Reply, frame => { frame.WriteInt64(7); frame.WriteByte((byte)ReplyStatus.Ok); frame.WriteBytes([0x2A, 0, 0, 0]); }) },
        { "cancel", Encode(FrameType.Cancel, frame => CancelFrame.Write(frame, 7)) },
        { "lookup", Encode(FrameType.Lookup, frame => LookupFrame.Write(frame, 8, "probe", "G")) },
        { "proof", Encode(FrameType.Proof, frame => ProofFrame.Write(frame, [0xFE], [])) },
        { "stream items", Encode(FrameType.StreamItems, frame => { StreamItemsFrame.WriteHeader(frame, 7); frame.WriteBytes([0x2A, 0, 0, 0, 0x2B, 0, 0, 0]); }) },
        { "stream credit", Encode(FrameType.StreamCredit, frame => StreamCreditFrame.Write(frame, 7, 1024)) },
    };

    [Theory]
    [MemberData(nameof(Frames))]
    public void A_frame_has_the_bytes_of_protocol_version_2(string frame, string actual)
    {
        string expected = frame switch
        {
            "preamble" => "544B52504300" + "0200",
            "hello" => "42000000" + "01" + "F9FFFFFF06000000" + "6E6F64652D31" + "F1FFFFFF0E000000" + "3132372E302E302E313A35303030"
                + "10000000" + "0102030405060708090A0B0C0D0E0F10" + "00001000" + "01" + "00000000",
            "refused" => "10000000" + "05" + "F8FFFFFF07000000" + "676F2061776179",
            "request" => "1D000000" + "10" + "0700000000000000" + "44332211" + "88776655" + "DC050000" + "05" + "70726F6265" + "AABB",
            "extended request" => "29000000" + "15" + "01" + "01" + "0800" + "0500000000000000"
                + "0700000000000000" + "44332211" + "88776655" + "DC050000" + "05" + "70726F6265" + "AABB",
            "reply" => "0E000000" + "11" + "0700000000000000" + "00" + "2A000000",
            "cancel" => "09000000" + "12" + "0700000000000000",
            "lookup" => "1F000000" + "13" + "0800000000000000" + "FAFFFFFF05000000" + "70726F6265" + "FEFFFFFF01000000" + "47",
            "proof" => "0A000000" + "03" + "01000000" + "FE" + "00000000",
            "stream items" => "11000000" + "16" + "0700000000000000" + "2A000000" + "2B000000",
            "stream credit" => "0D000000" + "17" + "0700000000000000" + "00040000",
            _ => throw new ArgumentOutOfRangeException(nameof(frame)),
        };

        Assert.Equal(expected, actual);
    }

    [Fact]
    public void Each_frame_reads_back_as_written()
    {
        HelloFrame hello = HelloFrame.Read(Body(FrameType.Hello, frame => new HelloFrame("node-1", null, Nonce, 4096, false, []).Write(frame)));
        Assert.Equal(("node-1", null, 4096, false), (hello.NodeId, hello.Address, hello.MaxFrameSize, hello.HasSecret));

        RequestFrame request = RequestFrame.Read(Body(FrameType.Request, frame => { RequestFrame.WriteHeader(frame, 7, 1, 2, -1, "probe"u8); frame.WriteBytes([9]); }));
        Assert.Equal((7L, 1, 2, -1, "probe"), (request.CallId, request.GatewayId, request.MethodId, request.TimeoutMilliseconds, System.Text.Encoding.UTF8.GetString(request.EndpointName.ToArray())));
        Assert.Equal([9], request.Arguments.ToArray());

        // An extended request: the epoch is read, a tag this version does not know is skipped, the request follows.
        RequestFrame extended = RequestFrame.ReadExtended(
            Body(FrameType.ExtendedRequest, frame =>
            {
                frame.WriteBytes([2, 99, 3, 0, 0xEE, 0xEE, 0xEE]);
                frame.WriteBytes([1, 8, 0, 9, 0, 0, 0, 0, 0, 0, 0]);
                RequestFrame.WriteHeader(frame, 7, 1, 2, -1, "probe"u8);
                frame.WriteBytes([9]);
            }),
            out RequestExtensions extensions);
        Assert.Equal((9L, 7L, 2), (extensions.Epoch, extended.CallId, extended.MethodId));
        Assert.Equal([9], extended.Arguments.ToArray());

        ReplyFrame reply = ReplyFrame.Read(Body(FrameType.Reply, frame => { frame.WriteInt64(3); frame.WriteByte((byte)ReplyStatus.Incompatible); }));
        Assert.Equal((3L, ReplyStatus.Incompatible, 0L), (reply.CallId, reply.Status, reply.Payload.Length));

        Assert.Equal(5L, CancelFrame.Read(Body(FrameType.Cancel, frame => CancelFrame.Write(frame, 5))));
        Assert.Equal(new LookupFrame(8, "probe", "G"), LookupFrame.Read(Body(FrameType.Lookup, frame => LookupFrame.Write(frame, 8, "probe", "G"))));
        Assert.Equal(7L, StreamItemsFrame.Read(Body(FrameType.StreamItems, frame => { StreamItemsFrame.WriteHeader(frame, 7); frame.WriteBytes([1, 2]); }), out ReadOnlySequence<byte> items));
        Assert.Equal([1, 2], items.ToArray());
        Assert.Throws<ProtocolViolationException>(() => StreamItemsFrame.Read(Body(FrameType.StreamItems, frame => StreamItemsFrame.WriteHeader(frame, 7)), out _));
        Assert.Equal((7L, 1024), StreamCreditFrame.Read(Body(FrameType.StreamCredit, frame => StreamCreditFrame.Write(frame, 7, 1024))));
        Assert.Throws<ProtocolViolationException>(() => StreamCreditFrame.Read(Body(FrameType.StreamCredit, frame => StreamCreditFrame.Write(frame, 7, 0))));
        Assert.Equal("go away", RefusedFrame.Read(Body(FrameType.Refused, frame => RefusedFrame.Write(frame, "go away"))));

        RpcGatewayDescriptor probe = RpcGatewayRegistry.Get<Endpoints.IProbeGateway>();
        ContractFrame contract = ContractFrame.Read(Body(FrameType.Contract, frame => ContractFrame.Write(frame, probe)));
        Assert.Equal((probe.Name, probe.Fingerprint), (contract.Name, contract.Fingerprint));
        Assert.Equal(probe.Contract, contract.Contract);
        (byte[] proof, List<ContractFrame> gateways) = ProofFrame.Read(Body(FrameType.Proof, frame => ProofFrame.Write(frame, [1, 2], [probe])));
        Assert.Equal([1, 2], proof);
        Assert.Equal(probe.Name, Assert.Single(gateways).Name);
    }

    [Theory]
    [InlineData(new byte[] { })]
    [InlineData(new byte[] { 1, 1, 8, 0, 9, 0, 0 })]
    [InlineData(new byte[] { 1, 1, 4, 0, 9, 0, 0, 0 })]
    [InlineData(new byte[] { 1, 1, 8, 0, 0, 0, 0, 0, 0, 0, 0, 0x80 })]
    [InlineData(new byte[] { 1, 7, 200, 0, 1 })]
    public void A_malformed_extension_block_is_a_protocol_violation(byte[] block)
    {
        ReadOnlySequence<byte> body = new(block);
        Assert.Throws<ProtocolViolationException>(() => RequestFrame.ReadExtended(body, out _));
    }

    private static byte[] Preamble()
    {
        byte[] preamble = new byte[Rpc.Transport.Protocol.Frames.PreambleSize];
        Rpc.Transport.Protocol.Frames.WritePreamble(preamble);
        return preamble;
    }

    private static string Encode(FrameType type, Action<FrameBuffer> write) => Hex(HostileConnection.Encode(type, write));

    private static ReadOnlySequence<byte> Body(FrameType type, Action<FrameBuffer> write)
    {
        byte[] frame = HostileConnection.Encode(type, write);
        Assert.Equal((byte)type, frame[4]);
        return new ReadOnlySequence<byte>(frame, Rpc.Transport.Protocol.Frames.HeaderSize, frame.Length - Rpc.Transport.Protocol.Frames.HeaderSize);
    }

    private static string Hex(byte[] bytes) => Convert.ToHexString(bytes);
}
