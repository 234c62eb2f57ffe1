using System.Buffers;
using System.IO.Pipelines;
using System.Text;
using Toolkit.Rpc.Gateways;
using Toolkit.Rpc.Serialization;
using Toolkit.Rpc.Transport.Protocol;

namespace Toolkit.Rpc.Transport;

internal sealed partial class RpcConnection
{
    // Exception text sent back to a caller is capped so that an error reply always fits the caller's frame limit:
    // three strings (type, message, stack) of at most this many characters, three UTF-8 bytes each at worst.
    private const int MaxErrorTextLength = 16 * 1024;
    private const int ErrorReplyOverhead = 64;

    // The last endpoint a request named: most connections talk to one endpoint, so this skips decoding the name.
    // Touched only by the read loop.
    private byte[] _lastEndpointName = [];

    // Calls whose replies the read loop decoded since its last read; their callers continue in one ReplyBatch.
    private List<RemoteCall>? _replies;

    // The dedicated reader's list of replies, kept between reads once it has run them all itself.
    private List<RemoteCall>? _spareReplies;
    private RpcEndpoint? _lastEndpoint;

    // The last gateway whose contract the read loop found compatible: most connections call one gateway, so this
    // skips looking the agreement up. Touched only by the read loop.
    private RpcGatewayDescriptor? _lastAgreedGateway;

    /// <summary>Sends a complete reply frame, or the size error when it is over the peer's limit.</summary>
    public void SendReply(FrameBuffer frame, InboundCall call)
    {
        ReadOnlySpan<byte> bytes = frame.Complete();
        if (bytes.Length > FrameLimit)
        {
            TransportLog.InboundRejected(_logger, DisplayAddress, $"the reply of {call.Site} is {bytes.Length:N0} bytes, over the frame limit of {FrameLimit:N0}");
            SendTooLarge(BitConverter.ToInt64(bytes[Frames.HeaderSize..]), bytes.Length);
            return;
        }

        Enqueue(bytes, force: true);
    }

    /// <summary>Sends an error reply with a message (and, for <see cref="ReplyStatus.Unavailable"/>, the endpoint's state).</summary>
    public void SendFailure(long callId, ReplyStatus status, string message, RpcEndpointState state = RpcEndpointState.Stopped)
    {
        if (callId == 0)
        {
            TransportLog.InboundRejected(_logger, DisplayAddress, message);
            return;
        }

        FrameBuffer frame = ReplyFrame.Begin(callId, status);
        try
        {
            RpcWriter writer = new(frame);
            if (status == ReplyStatus.Unavailable)
            {
                writer.WriteUnmanaged((byte)state);
            }

            writer.WriteString(Cap(message, ErrorTextLimit(1)));
            writer.Flush();
            Enqueue(frame.Complete(), force: true);
        }
        finally
        {
            frame.Return();
        }
    }

    /// <summary>Sends that a result passed the frame limit while it was encoded: the bytes written until then, and the limit.</summary>
    public void SendTooLarge(long callId, long size)
    {
        FrameBuffer error = ReplyFrame.Begin(callId, ReplyStatus.TooLarge);
        error.WriteInt64(size);
        error.WriteInt32(FrameLimit);
        Enqueue(error.Complete(), force: true);
        error.Return();
    }

    /// <summary>
    /// Sends what an endpoint method threw: type name, message and stack; then, when <paramref name="method"/> declares
    /// the exception's type as a fault, the fault's name and its members.
    /// </summary>
    public void SendException(long callId, Exception exception, RpcMethodDescriptor method)
    {
        FrameBuffer frame = ReplyFrame.Begin(callId, ReplyStatus.Exception);
        try
        {
            RpcWriter writer = new(frame);
            int limit = ErrorTextLimit(3);
            writer.WriteString(Cap(exception.GetType().FullName ?? exception.GetType().Name, limit));
            writer.WriteString(Cap(exception.Message, limit));
            writer.WriteString(exception.StackTrace is { } stack ? Cap(stack, limit) : null);
            if (EncodeFault(exception, method) is { } fault)
            {
                writer.WriteString(fault.Name);
                writer.Flush();
                frame.WriteBytes(fault.Members);
            }

            writer.Flush();
            Enqueue(frame.Complete(), force: true);
        }
        finally
        {
            frame.Return();
        }
    }

    // The fault's members, encoded apart first: should they fail to encode or not fit, the caller still gets the
    // exception's type, message and stack.
    private (string Name, byte[] Members)? EncodeFault(Exception exception, RpcMethodDescriptor method)
    {
        if (method.FindFault(exception) is not { } fault)
        {
            return null;
        }

        try
        {
            ArrayBufferWriter<byte> members = new();
            RpcWriter writer = new(members, _service);
            fault.Write(ref writer, exception);
            writer.Flush();
            if (members.WrittenCount <= FrameLimit / 2)
            {
                return (fault.Name, members.WrittenSpan.ToArray());
            }

            TransportLog.InboundRejected(_logger, DisplayAddress, $"the {fault.Name} thrown by {method.Gateway.ShortName}.{method.Name} is too large to send as a fault; the caller gets its type and message");
        }
        catch (Exception failure)
        {
            TransportLog.InboundRejected(_logger, DisplayAddress, $"the {fault.Name} thrown by {method.Gateway.ShortName}.{method.Name} could not be written as a fault ({failure.Message}); the caller gets its type and message");
        }

        return null;
    }

    /// <summary>An inbound call has been answered (or failed): it no longer holds a slot.</summary>
    public void InboundFinished(InboundCall call)
    {
        if (call.IsCancellable)
        {
            _cancellable.TryRemove(new KeyValuePair<long, InboundCall>(call.CallId, call));
            _cancellableCalls.TryRemove(call, out _);
        }

        if (Interlocked.Decrement(ref _inboundOutstanding) == _options.MaxPendingCalls - 1)
        {
            _inboundSlotFreed.WakeAll();
        }
    }

    private int ErrorTextLimit(int strings) => Math.Min(MaxErrorTextLength, (FrameLimit - ErrorReplyOverhead) / (3 * strings));

    private static string Cap(string text, int limit) => text.Length <= limit ? text : text[..Math.Max(0, limit - 12)] + "…(truncated)";

    private async Task ReadLoopAsync(PipeReader reader)
    {
        Exception reason;
        try
        {
            while (true)
            {
                ReadResult result = await reader.ReadAsync(_closing.Token).ConfigureAwait(false);
                ReadOnlySequence<byte> buffer = result.Buffer;
                try
                {
                    HandleFrames(ref buffer);
                }
                finally
                {
                    reader.AdvanceTo(buffer.Start, buffer.End);

                    // The callers of the replies just read continue in one work item, which this thread runs next,
                    // once the read below is pending: no core is woken, and the calls they make go out in one write.
                    HandOverReplies();
                }

                if (result.IsCompleted)
                {
                    reason = PeerClosed(buffer.Length);
                    break;
                }

                while (NextReadingPause() is { } pause)
                {
                    await pause.WaitAsync(_closing.Token).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (_closing.IsCancellationRequested)
        {
            reason = new IOException("the connection was closed");
        }
        catch (Exception exception)
        {
            reason = ReadFailure(exception);
        }

        await reader.CompleteAsync().ConfigureAwait(false);
        Close(reason);
    }

    /// <summary>Why reading stopped when the peer closed its side with <paramref name="leftOver"/> bytes of a frame unread.</summary>
    private static Exception PeerClosed(long leftOver) => leftOver == 0
        ? new IOException("the peer closed the connection")
        : new ProtocolViolationException($"the peer closed the connection in the middle of a frame ({leftOver} bytes left over)");

    /// <summary>Why reading stopped, from what it threw: the peer broke the protocol, or the connection failed.</summary>
    private static Exception ReadFailure(Exception exception) => exception switch
    {
        ProtocolViolationException => exception,
        RpcSerializationException => new ProtocolViolationException($"a frame is malformed: {exception.Message}"),
        _ => new IOException($"reading failed: {exception.Message}", exception),
    };

    /// <summary>Queues the replies parsed so far to a <see cref="ReplyBatch"/>, on this thread's own queue.</summary>
    private void HandOverReplies()
    {
        if (_replies is { Count: > 0 } replies)
        {
            _replies = null;
            ThreadPool.UnsafeQueueUserWorkItem(new ReplyBatch(this, replies), preferLocal: true);
        }
    }

    private bool MustPauseReading() =>
        !IsClosed && (Volatile.Read(ref _inboundOutstanding) >= _options.MaxPendingCalls || !HasQueueRoom(0));

    /// <summary>
    /// Back-pressure: while the peer has as many calls in flight here as allowed, or the replies waiting to be sent to
    /// it fill the send queue (it does not read them), nothing more is read, so that TCP's window stops it instead of
    /// this service's memory growing. Returns what to wait for before checking again, or null to read on.
    /// </summary>
    private Task? NextReadingPause()
    {
        if (!MustPauseReading())
        {
            return null;
        }

        Task inboundFreed = _inboundSlotFreed.WaitAsync();
        Task roomFreed = _roomFreed.WaitAsync();
        return MustPauseReading() ? Task.WhenAny(inboundFreed, roomFreed) : null;
    }

    /// <summary>Handles every complete frame at the start of <paramref name="buffer"/>, which is left with what remains.</summary>
    private void HandleFrames(ref ReadOnlySequence<byte> buffer)
    {
        while (Frames.TryRead(ref buffer, _options.MaxFrameSize, out FrameType type, out ReadOnlySequence<byte> body))
        {
            HandleFrame(type, body);
        }
    }

    private void HandleFrame(FrameType type, in ReadOnlySequence<byte> body)
    {
        switch (type)
        {
            case FrameType.Request:
                HandleRequest(body);
                break;
            case FrameType.Reply:
                HandleReply(body);
                break;
            case FrameType.Cancel:
                if (_cancellable.TryGetValue(CancelFrame.Read(body), out InboundCall? cancelled))
                {
                    cancelled.Cancel();
                }

                break;
            case FrameType.Lookup:
                HandleLookup(body);
                break;
            case FrameType.Contract:
                Contracts.Receive(body);
                _lastAgreedGateway = null;
                break;
            default:
                throw new ProtocolViolationException($"unexpected frame type {(byte)type} after the handshake");
        }
    }

    private void HandleReply(in ReadOnlySequence<byte> body)
    {
        ReplyFrame reply = ReplyFrame.Read(body);

        // No call under the id: it timed out or was cancelled meanwhile, and the late reply is dropped.
        if (_calls.TryRemove(reply.CallId, out RemoteCall? call))
        {
            ReleaseSlot();
            if (call.OnReply(reply.CallId, reply.Status, reply.Payload))
            {
                (_replies ??= TakeSpareReplies()).Add(call);
            }
        }
    }

    private void HandleRequest(in ReadOnlySequence<byte> body)
    {
        (long callId, int gatewayId, int methodId, int timeoutMilliseconds, ReadOnlySequence<byte> endpointName, ReadOnlySequence<byte> arguments) =
            RequestFrame.Read(body);
        if (_service.IsStopping)
        {
            SendFailure(callId, ReplyStatus.Unavailable, $"service {_service.NodeId} is stopping and takes no new calls", RpcEndpointState.Stopping);
            return;
        }

        Span<byte> name = stackalloc byte[(int)endpointName.Length];
        endpointName.CopyTo(name);
        if (FindEndpoint(name, out string? missing) is not { } endpoint)
        {
            if (_service.HasStopped(missing!))
            {
                SendFailure(callId, ReplyStatus.Unavailable, $"endpoint '{missing}' has been stopped", RpcEndpointState.Stopped);
                return;
            }

            SendFailure(callId, ReplyStatus.NotFound, $"service {_service.NodeId} {_service.HasNoEndpoint(missing!)}");
            return;
        }

        RpcMethodHandler? handler = endpoint.FindHandler(gatewayId, methodId);
        if (handler is null)
        {
            SendFailure(callId, ReplyStatus.NotFound, endpoint.ImplementsGateway(gatewayId)
                ? $"{endpoint.Description} has no method 0x{methodId:X8} in gateway 0x{gatewayId:X8}"
                : endpoint.DoesNotImplement($"the gateway (id 0x{gatewayId:X8})"));
            return;
        }

        if (!ReferenceEquals(handler.Method.Gateway, _lastAgreedGateway))
        {
            if (Contracts.Problem(handler.Method.Gateway) is { } problem)
            {
                SendFailure(callId, ReplyStatus.Incompatible, problem);
                return;
            }

            _lastAgreedGateway = handler.Method.Gateway;
        }

        TimeSpan timeout = timeoutMilliseconds < 0 ? Timeout.InfiniteTimeSpan : TimeSpan.FromMilliseconds(timeoutMilliseconds);
        InboundCall call = InboundCall.Start(this, endpoint, handler, callId, timeout, arguments);
        Interlocked.Increment(ref _inboundOutstanding);
        if (call.IsCancellable)
        {
            _cancellable[callId] = call;
            _cancellableCalls.TryAdd(call, 0);
            if (IsClosed)
            {
                // Closed while this call was read: Close may have missed it.
                call.Cancel();
            }
        }

        // The read loop's own thread runs the endpoint next, once it has parsed what it read: no other core is woken.
        endpoint.Enqueue(call, callerAwaits: true);
    }

    private void HandleLookup(in ReadOnlySequence<byte> body)
    {
        (long callId, string endpointName, string gatewayName) = LookupFrame.Read(body);
        if (_service.DescribeLookupProblem(endpointName, gatewayName, out RpcGatewayDescriptor? gateway) is { } problem)
        {
            SendFailure(callId, ReplyStatus.NotFound, problem);
            return;
        }

        if (Contracts.Problem(gateway!) is { } incompatible)
        {
            SendFailure(callId, ReplyStatus.Incompatible, incompatible);
            return;
        }

        FrameBuffer frame = ReplyFrame.Begin(callId, ReplyStatus.Ok);
        Enqueue(frame.Complete(), force: true);
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

/// <summary>
/// Hands the replies of one read to their callers, whose continuations run here one after another; the calls they
/// make meanwhile are held back and sent together when the batch is done.
/// </summary>
internal sealed class ReplyBatch(RpcConnection connection, List<RemoteCall> calls) : IThreadPoolWorkItem
{
    public void Execute()
    {
        connection.HoldSends();
        try
        {
            foreach (RemoteCall call in calls)
            {
                Publish(connection, call);
            }
        }
        finally
        {
            connection.ReleaseSends();
        }
    }

    /// <summary>Hands <paramref name="call"/> its reply: its caller continues on this thread.</summary>
    public static void Publish(RpcConnection connection, RemoteCall call)
    {
        try
        {
            call.Publish();
        }
        catch (Exception exception)
        {
            // An await continuation does not throw into its completer; should anything else, the batch's other
            // callers must still get their replies.
            TransportLog.ContinuationFailed(connection.Service.TransportLogger, exception, connection.DisplayAddress);
        }
    }
}
