using System.Buffers;
using System.Text;
using Toolkit.Rpc.Fuzz.Messages;
using Toolkit.Rpc.Transport;
using Toolkit.Rpc.Transport.Protocol;

namespace Toolkit.Rpc.Fuzz;

/// <summary>
/// The bytes a peer sends after the handshake, read as a connection's read loop reads them (RpcConnection.Receive.cs):
/// <see cref="Frames.TryRead"/> takes whole frames off the front, and each is read by its type's reader in
/// <see cref="Frames"/>. A request's arguments then go through the generated dispatch table of
/// <see cref="FuzzEndpoint"/>, as the endpoint's main thread would run them; an error reply is read into the exception
/// its caller would see, a successful one as the result of the call its id picks. The connection would close on
/// <see cref="ProtocolViolationException"/> or <see cref="RpcSerializationException"/>; anything else is a finding.
/// </summary>
/// <remarks>Input: one byte, the segment length the rest is cut into (0: one segment), then the stream.</remarks>
public static class FrameTarget
{
    private const string EndpointName = "fuzz";

    private static readonly FuzzEndpoint Endpoint = new();
    private static readonly Dictionary<int, RpcGatewayDescriptor> Gateways = RpcGatewayRegistry.GatewaysOf(Endpoint).ToDictionary(gateway => gateway.Id);
    private static readonly FuzzReply Reply = new();
    private static readonly RpcCallSite Site = new("IFuzzGateway", "fuzzed", EndpointName, "fuzz:0");

    /// <summary>False when the connection would close, or a request was answered with an error, or a frame is unfinished.</summary>
    public static bool Run(ReadOnlyMemory<byte> input)
    {
        if (input.IsEmpty)
        {
            return false;
        }

        ReadOnlySequence<byte> buffer = Segments.Split(input[1..], input.Span[0]);
        bool valid = true;
        try
        {
            while (Frames.TryRead(ref buffer, RpcTransportOptions.DefaultMaxFrameSize, out FrameType type, out ReadOnlySequence<byte> body))
            {
                valid &= Handle(type, body);
            }

            return valid && buffer.IsEmpty;
        }
        catch (Exception exception) when (exception is ProtocolViolationException or RpcSerializationException)
        {
            // The connection closes with this as its logged reason.
            return false;
        }
    }

    private static bool Handle(FrameType type, in ReadOnlySequence<byte> body)
    {
        switch (type)
        {
            case FrameType.Request:
                return Dispatch(RequestFrame.Read(body));
            case FrameType.Reply:
                ReplyFrame reply = ReplyFrame.Read(body);
                if (reply.Status == ReplyStatus.Ok)
                {
                    return ReadResult(reply);
                }

                // A malformed error reply is not thrown: the caller gets a serialization error that wraps why.
                return RemoteCall.ReadFailure(Site, null, null, reply.Status, reply.Payload) is not RpcSerializationException { InnerException: not null };
            case FrameType.Cancel:
                CancelFrame.Read(body);
                return true;
            case FrameType.Lookup:
                LookupFrame.Read(body);
                return true;
            case FrameType.Contract:
                // Compared with this process's contract as a connection does, which parses both sides' lines.
                return Handshake.Check(ContractFrame.Read(body), "the fuzz", "its peer") is not { IsCompatible: false };
            default:
                throw new ProtocolViolationException($"unexpected frame type {(byte)type} after the handshake");
        }
    }

    private static bool Dispatch(in RequestFrame request)
    {
        if (Encoding.UTF8.GetString(request.EndpointName) != EndpointName
            || !Gateways.TryGetValue(request.GatewayId, out RpcGatewayDescriptor? gateway)
            || gateway.FindHandler(request.MethodId) is not { } handler)
        {
            // The service answers NotFound.
            return false;
        }

        // InboundCall copies the arguments out of the receive buffer and reads them from that copy.
        byte[] arguments = request.Arguments.ToArray();
        RpcReader reader = new(arguments, FuzzContext.Instance);
        TimeSpan timeout = request.TimeoutMilliseconds < 0 ? Timeout.InfiniteTimeSpan : TimeSpan.FromMilliseconds(request.TimeoutMilliseconds);
        Reply.Reset();
        int calls = Endpoint.Calls;
        handler.Invoke(Endpoint, ref reader, new RpcCallContext(timeout, CancellationToken.None), Reply);
        if (Reply.Rejected == (Endpoint.Calls != calls))
        {
            throw new FuzzContractViolation(Reply.Rejected
                ? $"{handler.Method.Name} ran, and then its result could not be written"
                : $"{handler.Method.Name} neither ran nor rejected its arguments");
        }

        return !Reply.Rejected;
    }

    // A pending call reads its result with its method's generated reader; here the call id picks the result type.
    private static bool ReadResult(in ReplyFrame reply)
    {
        ValueCodec codec = ValueCodec.All[(int)((ulong)reply.CallId % (ulong)ValueCodec.All.Count)];
        try
        {
            codec.Read(reply.Payload);
            return true;
        }
        catch (RpcSerializationException)
        {
            // The caller's task faults with it; the connection lives on.
            return false;
        }
    }
}
