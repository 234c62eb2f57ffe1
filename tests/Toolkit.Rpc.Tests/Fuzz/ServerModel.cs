using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using Toolkit.Rpc.Transport;
using Toolkit.Rpc.Transport.Protocol;

namespace Toolkit.Rpc.Tests.Fuzz;

/// <summary>How the service must end a hostile session, as the model predicts it.</summary>
internal enum SessionEnd
{
    /// <summary>Every byte formed whole, valid frames: the connection stays open until the peer closes it.</summary>
    Clean,

    /// <summary>Valid frames, then a frame that never completes: the service waits, and closes with a violation at the peer's end of stream.</summary>
    MidFrame,

    /// <summary>A frame the service must reject at once: it closes the connection itself, with a logged reason.</summary>
    Violation,
}

/// <summary>A reply the service must send: its status, and for exact endpoints its encoded result.</summary>
internal sealed record ExpectedReply(long CallId, ReplyStatus Status, byte[]? Payload)
{
    public override string ToString() => $"{CallId}:{Status}{(Payload is null ? "" : ":" + Fuzz.Hex(Payload, 48))}";
}

/// <summary>What a session's bytes must lead to.</summary>
internal sealed class SessionOutcome
{
    public SessionEnd End { get; set; }

    public string Why { get; set; } = "";

    public List<ExpectedReply> Replies { get; } = [];

    /// <summary>Requests that reached an endpoint method (whose arguments decoded).</summary>
    public int Dispatched { get; set; }

    /// <summary>Requests that reached the dispatch table but whose arguments were rejected.</summary>
    public int Rejected { get; set; }
}

/// <summary>
/// An executable specification of what a listening service does with the bytes a peer sends after the handshake,
/// written from the documented frame layout (Frames.cs, RpcConnection.Receive.cs). It runs the same generated
/// dispatch tables against unstarted copies of the endpoints, so it predicts exactly which methods run with which
/// arguments, which replies go back, and whether and why the connection must close.
/// </summary>
internal sealed class ServerModel
{
    private readonly RpcService _service;
    private readonly int _maxFrameSize;
    private readonly int _frameLimit;
    private readonly Dictionary<string, ModelEndpoint> _endpoints = new(StringComparer.Ordinal);

    // The gateways whose contracts the session's peer sent and the service found compatible; each session starts
    // with those HostileConnection.HandshakeAsync exchanged.
    private HashSet<RpcGatewayDescriptor> _contracted = [];

    public ServerModel(RpcService service, int peerMaxFrameSize)
    {
        _service = service;
        _maxFrameSize = service.Options.Transport.MaxFrameSize;
        _frameLimit = Math.Min(_maxFrameSize, peerMaxFrameSize);
    }

    /// <summary>Models the endpoint named <paramref name="name"/> with <paramref name="copy"/>, an unstarted instance of its class.</summary>
    public void Add(string name, RpcEndpoint copy, bool exactResults) =>
        _endpoints[name] = new ModelEndpoint(copy, RpcGatewayRegistry.GatewaysOf(copy).ToDictionary(gateway => gateway.Id), exactResults);

    /// <summary>Feeds the bytes a peer sent after the handshake through the model.</summary>
    public SessionOutcome Run(byte[] stream)
    {
        SessionOutcome outcome = new();
        _contracted = [.. HostileConnection.ContractedGateways];
        int offset = 0;
        while (true)
        {
            WireFrames.Parsed parsed = WireFrames.Parse(stream.AsSpan(offset), _maxFrameSize);
            if (parsed.Kind == WireFrames.ParsedKind.Impossible)
            {
                outcome.End = SessionEnd.Violation;
                outcome.Why = $"a frame at offset {offset} declares an impossible length";
                return outcome;
            }

            if (parsed.Kind == WireFrames.ParsedKind.Incomplete)
            {
                outcome.End = offset == stream.Length ? SessionEnd.Clean : SessionEnd.MidFrame;
                outcome.Why = outcome.End == SessionEnd.Clean ? "all frames whole and valid" : $"{stream.Length - offset} bytes of an unfinished frame";
                return outcome;
            }

            byte[] body = stream.AsSpan(offset + Frames.HeaderSize, parsed.Size - Frames.HeaderSize).ToArray();
            if (Handle(parsed.Type, body, outcome) is { } violation)
            {
                outcome.End = SessionEnd.Violation;
                outcome.Why = $"frame at offset {offset}: {violation}";
                return outcome;
            }

            offset += parsed.Size;
        }
    }

    // Returns why the frame violates the protocol, or null when the service goes on reading.
    private string? Handle(FrameType type, byte[] body, SessionOutcome outcome)
    {
        switch (type)
        {
            case FrameType.Request:
                return HandleRequest(body, outcome);
            case FrameType.Reply:
                // No call of the service is pending on a hostile connection: a whole reply header is dropped.
                return body.Length < 9 ? "a truncated reply" : null;
            case FrameType.Cancel:
                return body.Length != 8 ? "a malformed cancel" : null;
            case FrameType.Lookup:
                return HandleLookup(body, outcome);
            case FrameType.Contract:
                return HandleContract(body);
            default:
                return $"frame type {(byte)type} after the handshake";
        }
    }

    private string? HandleRequest(byte[] body, SessionOutcome outcome)
    {
        if (body.Length < RequestFrame.FixedSize)
        {
            return "a truncated request";
        }

        long callId = BinaryPrimitives.ReadInt64LittleEndian(body);
        int gatewayId = BinaryPrimitives.ReadInt32LittleEndian(body.AsSpan(8));
        int methodId = BinaryPrimitives.ReadInt32LittleEndian(body.AsSpan(12));
        int timeoutMilliseconds = BinaryPrimitives.ReadInt32LittleEndian(body.AsSpan(16));
        int nameLength = body[20];
        if (body.Length - RequestFrame.FixedSize < nameLength || timeoutMilliseconds < -1)
        {
            return "a malformed request header";
        }

        string name = Encoding.UTF8.GetString(body, RequestFrame.FixedSize, nameLength);
        byte[] arguments = body[(RequestFrame.FixedSize + nameLength)..];
        if (!_endpoints.TryGetValue(name, out ModelEndpoint? endpoint)
            || !endpoint.Gateways.TryGetValue(gatewayId, out RpcGatewayDescriptor? gateway)
            || gateway.FindHandler(methodId) is not { } handler)
        {
            Expect(outcome, callId, ReplyStatus.NotFound, null, toOneWay: false);
            return null;
        }

        if (!_contracted.Contains(gateway))
        {
            Expect(outcome, callId, ReplyStatus.Incompatible, null, toOneWay: false);
            return null;
        }

        ModelReply reply = new(_service);
        RpcReader reader = new(arguments, _service);
        TimeSpan timeout = timeoutMilliseconds < 0 ? Timeout.InfiniteTimeSpan : TimeSpan.FromMilliseconds(timeoutMilliseconds);
        handler.Invoke(endpoint.Copy, ref reader, new RpcCallContext(timeout, default), reply);
        if (reply.Failure is null)
        {
            outcome.Dispatched++;
        }
        else
        {
            outcome.Rejected++;
        }

        if (reply.Result is { } result)
        {
            // The reply frame is the header, the call id, the status byte and the result.
            bool tooLarge = Frames.HeaderSize + 8 + 1 + result.Length > _frameLimit;
            Expect(outcome, callId, tooLarge ? ReplyStatus.TooLarge : ReplyStatus.Ok, endpoint.ExactResults && !tooLarge ? result : null, toOneWay: false);
        }
        else if (reply.Failure is { } failure)
        {
            Expect(outcome, callId, failure is RpcSerializationException ? ReplyStatus.Serialization : ReplyStatus.Exception, null, toOneWay: false);
        }
        else
        {
            throw new InvalidOperationException($"The model dispatched {handler.Method.Name}, which did not complete at once: keep such methods out of the fuzz.");
        }

        return null;
    }

    private string? HandleLookup(byte[] body, SessionOutcome outcome)
    {
        if (body.Length < 8)
        {
            return "a truncated lookup";
        }

        long callId = BinaryPrimitives.ReadInt64LittleEndian(body);
        string endpoint;
        string gateway;
        try
        {
            RpcReader reader = new(body.AsSpan(8));
            endpoint = reader.ReadString() ?? "";
            gateway = reader.ReadString() ?? "";
            reader.EnsureFullyConsumed();
        }
        catch (RpcSerializationException exception)
        {
            return "a malformed lookup: " + exception.Message;
        }

        // An answered lookup goes back even under call id 0; a refused one, like every failure, only to an ask.
        bool found = _service.Transport.DescribeLookupProblem(endpoint, gateway, out RpcGatewayDescriptor? descriptor) is null;
        ReplyStatus status = !found ? ReplyStatus.NotFound : _contracted.Contains(descriptor!) ? ReplyStatus.Ok : ReplyStatus.Incompatible;
        Expect(outcome, callId, status, status == ReplyStatus.Ok ? [] : null, toOneWay: status == ReplyStatus.Ok);
        return null;
    }

    // A contract the service knows is compared (and answered only the first time, which the handshake took); one it
    // does not know is dropped. Either way the service reads on, unless the frame is malformed.
    private string? HandleContract(byte[] body)
    {
        try
        {
            ContractFrame contract = ContractFrame.Read(new ReadOnlySequence<byte>(body));
            if (RpcGatewayRegistry.Find(contract.Name) is { } known)
            {
                if (Handshake.Check(contract, "the service", "the peer")!.IsCompatible)
                {
                    _contracted.Add(known);
                }
                else
                {
                    _contracted.Remove(known);
                }
            }

            return null;
        }
        catch (Exception exception) when (exception is ProtocolViolationException or RpcSerializationException)
        {
            return "a malformed contract: " + exception.Message;
        }
    }

    private static void Expect(SessionOutcome outcome, long callId, ReplyStatus status, byte[]? payload, bool toOneWay)
    {
        if (callId != 0 || toOneWay)
        {
            outcome.Replies.Add(new ExpectedReply(callId, status, payload));
        }
    }

    private sealed record ModelEndpoint(RpcEndpoint Copy, Dictionary<int, RpcGatewayDescriptor> Gateways, bool ExactResults);

    /// <summary>Catches what the dispatch table reports: the encoded result or the failure.</summary>
    private sealed class ModelReply(RpcSerializationContext context) : RpcReply
    {
        private ArrayBufferWriter<byte>? _output;

        public byte[]? Result { get; private set; }

        public Exception? Failure { get; private set; }

        public override RpcSerializationContext? SerializationContext => context;

        public override IBufferWriter<byte> BeginResult() => _output = new ArrayBufferWriter<byte>();

        public override void EndResult() => Result = _output!.WrittenSpan.ToArray();

        public override void Fail(Exception exception) => Failure = exception;
    }
}
