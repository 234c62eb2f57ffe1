using System.Buffers;
using Toolkit.Rpc.Transport.Protocol;

namespace Toolkit.Rpc.Transport;

/// <summary>Encodes a connection's replies to inbound calls — results, errors, thrown exceptions and declared faults — and queues them.</summary>
internal sealed class ReplySender(RpcConnection connection)
{
    // Exception text sent back to a caller is capped so that an error reply always fits the caller's frame limit:
    // three strings (type, message, stack) of at most this many characters, three UTF-8 bytes each at worst.
    private const int MaxErrorTextLength = 16 * 1024;
    private const int ErrorReplyOverhead = 64;

    /// <summary>Sends a complete reply frame, or the size error when it is over the peer's limit.</summary>
    public void SendReply(FrameBuffer frame, InboundCall call)
    {
        ReadOnlySpan<byte> bytes = frame.Complete();
        if (connection.ByteStreams is { } streams && streams.ShouldOffload(bytes.Length))
        {
            connection.Enqueue(streams.Offload(bytes, isReply: true), force: true);
            return;
        }

        if (bytes.Length > connection.FrameLimit)
        {
            TransportLog.InboundRejected(connection.Logger, connection.DisplayAddress, $"the reply of {call.Site} is {bytes.Length:N0} bytes, over the frame limit of {connection.FrameLimit:N0}");
            SendTooLarge(BitConverter.ToInt64(bytes[Frames.HeaderSize..]), bytes.Length);
            return;
        }

        connection.Enqueue(bytes, force: true);
    }

    /// <summary>Sends that a result passed the frame limit while it was encoded: the bytes written until then, and the limit.</summary>
    public void SendTooLarge(long callId, long size)
    {
        FrameBuffer error = ReplyFrame.Begin(callId, ReplyStatus.TooLarge);
        error.WriteInt64(size);
        error.WriteInt32(connection.FrameLimit);
        connection.Enqueue(error.Complete(), force: true);
        error.Return();
    }

    /// <summary>Sends that a fenced call was refused: the call's epoch and the endpoint's, either possibly none.</summary>
    public void SendFenced(long callId, long? callEpoch, long? endpointEpoch)
    {
        FrameBuffer frame = ReplyFrame.Begin(callId, ReplyStatus.Fenced);
        frame.WriteInt64(callEpoch ?? FencingToken.None);
        frame.WriteInt64(endpointEpoch ?? FencingToken.None);
        connection.Enqueue(frame.Complete(), force: true);
        frame.Return();
    }

    /// <summary>Sends an error reply with a message (and, for <see cref="ReplyStatus.Unavailable"/>, the endpoint's state).</summary>
    public void SendFailure(long callId, ReplyStatus status, string message, RpcEndpointState state = RpcEndpointState.Stopped)
    {
        if (callId == 0)
        {
            TransportLog.InboundRejected(connection.Logger, connection.DisplayAddress, message);
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
            connection.Enqueue(frame.Complete(), force: true);
        }
        finally
        {
            frame.Return();
        }
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
            connection.Enqueue(frame.Complete(), force: true);
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
            RpcWriter writer = new(members, connection.Host.SerializationContext);
            fault.Write(ref writer, exception);
            writer.Flush();
            if (members.WrittenCount <= connection.FrameLimit / 2)
            {
                return (fault.Name, members.WrittenSpan.ToArray());
            }

            TransportLog.InboundRejected(connection.Logger, connection.DisplayAddress, $"the {fault.Name} thrown by {method.Gateway.ShortName}.{method.Name} is too large to send as a fault; the caller gets its type and message");
        }
        catch (Exception failure)
        {
            TransportLog.InboundRejected(connection.Logger, connection.DisplayAddress, $"the {fault.Name} thrown by {method.Gateway.ShortName}.{method.Name} could not be written as a fault ({failure.Message}); the caller gets its type and message");
        }

        return null;
    }

    private int ErrorTextLimit(int strings) => Math.Min(MaxErrorTextLength, (connection.FrameLimit - ErrorReplyOverhead) / (3 * strings));

    private static string Cap(string text, int limit) => text.Length <= limit ? text : text[..Math.Max(0, limit - 12)] + "…(truncated)";
}
