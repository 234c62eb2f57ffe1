using System.Buffers;
using System.Diagnostics;
using System.Text;
using Toolkit.Rpc.Observability;
using Toolkit.Rpc.Transport.Protocol;

namespace Toolkit.Rpc.Transport;

/// <summary>
/// What a connection does with the frames it reads after the handshake, whichever receiver read them: requests go into
/// their endpoint's mailbox in arrival order, replies complete their calls (collected, so that their callers continue
/// together once the read is parsed), cancellations, lookups and contracts are answered. Used by one read loop at a time.
/// </summary>
internal sealed class FrameDispatcher(RpcConnection connection)
{
    private readonly TransportHost _service = connection.Host;
    private readonly int _maxFrameSize = connection.Options.MaxFrameSize;

    // The last endpoint a request named: most connections talk to one endpoint, so this skips decoding the name.
    private byte[] _lastEndpointName = [];
    private RpcEndpoint? _lastEndpoint;

    // The last gateway whose contract was found compatible: most connections call one gateway, so this skips looking
    // the agreement up.
    private RpcGatewayDescriptor? _lastAgreedGateway;

    // Calls whose replies were decoded since the last read; their callers continue in one ReplyBatch.
    private List<RemoteCall>? _replies;

    // The dedicated receiver's list of replies, kept between reads once it has run them all itself.
    private List<RemoteCall>? _spareReplies;

    /// <summary>Handles every complete frame at the start of <paramref name="buffer"/>, which is left with what remains.</summary>
    public void HandleFrames(ref ReadOnlySequence<byte> buffer)
    {
        while (Frames.TryRead(ref buffer, _maxFrameSize, out FrameType type, out ReadOnlySequence<byte> body))
        {
            HandleFrame(type, body);
        }
    }

    /// <summary>Takes the replies decoded since the last call, if any.</summary>
    public List<RemoteCall>? TakeReplies()
    {
        List<RemoteCall>? replies = _replies;
        _replies = null;
        return replies;
    }

    /// <summary>Keeps an emptied list for the replies of a later read.</summary>
    public void KeepSpare(List<RemoteCall> replies) => _spareReplies = replies;

    /// <summary>Queues the replies decoded so far to a <see cref="ReplyBatch"/>, on this thread's own queue.</summary>
    public void HandOverReplies()
    {
        if (TakeReplies() is { Count: > 0 } replies)
        {
            ThreadPool.UnsafeQueueUserWorkItem(new ReplyBatch(connection, replies), preferLocal: true);
        }
    }

    /// <summary>Handles a frame that arrived offloaded (<see cref="OffloadedFrames"/>), on a dispatcher of its own, and lets its callers continue.</summary>
    public void HandleOffloaded(FrameType type, in ReadOnlySequence<byte> body)
    {
        HandleFrame(type, body, offloaded: true);
        HandOverReplies();
    }

    private void HandleFrame(FrameType type, in ReadOnlySequence<byte> body, bool offloaded = false)
    {
        // While an offloaded request is on its way, the requests after it wait for it.
        if (type is FrameType.Request or FrameType.ExtendedRequest && !offloaded && connection.Offloads is { } held && held.TryHold(type, body))
        {
            return;
        }

        switch (type)
        {
            case FrameType.Request:
                HandleRequest(RequestFrame.Read(body), FencingToken.None, default, body.Length);
                break;
            case FrameType.ExtendedRequest:
                RequestFrame extended = RequestFrame.ReadExtended(body, out RequestExtensions extensions);
                HandleRequest(extended, extensions.Epoch, extensions.TraceParent, body.Length);
                break;
            case FrameType.Reply:
                HandleReply(body);
                break;
            case FrameType.Cancel:
                connection.CancelInbound(CancelFrame.Read(body));
                break;
            case FrameType.Lookup:
                HandleLookup(body);
                break;
            case FrameType.Contract:
                connection.Contracts.Receive(body);
                _lastAgreedGateway = null;
                break;
            case FrameType.StreamItems:
                connection.Streams.OnItems(StreamItemsFrame.Read(body, out ReadOnlySequence<byte> items), items);
                break;
            case FrameType.Offloaded:
                connection.GetOffloads().Receive(OffloadedFrame.Read(body));
                break;
            case FrameType.StreamCredit:
                (long callId, int credit) = StreamCreditFrame.Read(body);
                connection.Streams.OnCredit(callId, credit);
                break;
            default:
                throw new ProtocolViolationException($"unexpected frame type {(byte)type} after the handshake");
        }
    }

    private void HandleReply(in ReadOnlySequence<byte> body)
    {
        ReplyFrame reply = ReplyFrame.Read(body);

        // No call under the id: it timed out or was cancelled meanwhile, and the late reply is dropped.
        if (connection.TakeCall(reply.CallId) is { } call && call.OnReply(reply.CallId, reply.Status, reply.Payload))
        {
            (_replies ??= TakeSpareReplies()).Add(call);
        }
    }

    private List<RemoteCall> TakeSpareReplies()
    {
        List<RemoteCall> replies = _spareReplies ?? [];
        _spareReplies = null;
        return replies;
    }

    private void HandleRequest(in RequestFrame request, long epoch, in ActivityContext traceParent, long size)
    {
        (long callId, int gatewayId, int methodId, int timeoutMilliseconds, ReadOnlySequence<byte> endpointName, ReadOnlySequence<byte> arguments) = request;
        ReplySender replies = connection.Replies;
        if (_service.IsStopping)
        {
            replies.SendFailure(callId, ReplyStatus.Unavailable, $"service {_service.NodeId} is stopping and takes no new calls", RpcEndpointState.Stopping);
            return;
        }

        Span<byte> name = stackalloc byte[(int)endpointName.Length];
        endpointName.CopyTo(name);
        if (FindEndpoint(name, out string? missing) is not { } endpoint)
        {
            if (_service.HasStopped(missing!))
            {
                replies.SendFailure(callId, ReplyStatus.Unavailable, $"endpoint '{missing}' has been stopped", RpcEndpointState.Stopped);
                return;
            }

            replies.SendFailure(callId, ReplyStatus.NotFound, $"service {_service.NodeId} {_service.HasNoEndpoint(missing!)}");
            return;
        }

        RpcMethodHandler? handler = endpoint.FindHandler(gatewayId, methodId);
        if (handler is null)
        {
            replies.SendFailure(callId, ReplyStatus.NotFound, endpoint.ImplementsGateway(gatewayId)
                ? $"{endpoint.Description} has no method 0x{methodId:X8} in gateway 0x{gatewayId:X8}"
                : endpoint.DoesNotImplement($"the gateway (id 0x{gatewayId:X8})"));
            return;
        }

        if (!ReferenceEquals(handler.Method.Gateway, _lastAgreedGateway))
        {
            if (connection.Contracts.Problem(handler.Method.Gateway) is { } problem)
            {
                replies.SendFailure(callId, ReplyStatus.Incompatible, problem);
                return;
            }

            _lastAgreedGateway = handler.Method.Gateway;
        }

        TimeSpan timeout = timeoutMilliseconds < 0 ? Timeout.InfiniteTimeSpan : TimeSpan.FromMilliseconds(timeoutMilliseconds);
        RpcInstruments instruments = _service.Runtime.Instruments;
        CallObservation observation = default;
        if (instruments.ServerObserved)
        {
            observation = CallObservation.StartServer(instruments, handler.Method, endpoint.Name, traceParent, connection.DisplayAddress);
            CallObservation.RecordServerRequest(instruments, handler.Method, Frames.HeaderSize + size);
        }

        InboundCall call = InboundCall.Start(connection, endpoint, handler, callId, timeout, epoch, arguments, observation);
        connection.InboundStarted(call);

        // The read loop's own thread runs the endpoint next, once it has parsed what it read: no other core is woken.
        endpoint.Enqueue(call, callerAwaits: true);
    }

    private void HandleLookup(in ReadOnlySequence<byte> body)
    {
        (long callId, string endpointName, string gatewayName) = LookupFrame.Read(body);
        if (_service.DescribeLookupProblem(endpointName, gatewayName, out RpcGatewayDescriptor? gateway) is { } problem)
        {
            connection.Replies.SendFailure(callId, ReplyStatus.NotFound, problem);
            return;
        }

        if (connection.Contracts.Problem(gateway!) is { } incompatible)
        {
            connection.Replies.SendFailure(callId, ReplyStatus.Incompatible, incompatible);
            return;
        }

        FrameBuffer frame = ReplyFrame.Begin(callId, ReplyStatus.Ok);
        connection.Enqueue(frame.Complete(), force: true);
        frame.Return();
    }

    private RpcEndpoint? FindEndpoint(ReadOnlySpan<byte> name, out string? nameText)
    {
        nameText = null;
        if (_lastEndpoint is { } last && name.SequenceEqual(_lastEndpointName) && last.State is RpcEndpointState.Running or RpcEndpointState.Starting)
        {
            return last;
        }

        nameText = Encoding.UTF8.GetString(name);
        if (_service.FindEndpoint(nameText) is not { } endpoint)
        {
            return null;
        }

        _lastEndpointName = name.ToArray();
        _lastEndpoint = endpoint;
        return endpoint;
    }
}
