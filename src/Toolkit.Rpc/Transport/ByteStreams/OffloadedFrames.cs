using System.Buffers;
using Toolkit.Rpc.Transport.Protocol;

namespace Toolkit.Rpc.Transport;

/// <summary>
/// The receiving side of offloaded frames on one connection. An offloaded reply is handled as soon as its bytes have
/// arrived. An offloaded request keeps its place among the connection's requests: requests read after it wait (copied)
/// until its bytes have arrived and it was dispatched, so that calls from one caller still reach their endpoint in the
/// order they were made — while replies, cancellations and credits go on being handled at once. Made on a connection's
/// first offloaded frame.
/// </summary>
internal sealed class OffloadedFrames(RpcConnection connection)
{
    private readonly Lock _lock = new();

    // Offloaded requests (ready once their bytes arrived) and the requests read after them, in arrival order. Guarded by _lock.
    private readonly Queue<Held> _held = new();
    private bool _draining;

    /// <summary>The read loop read an <see cref="FrameType.Offloaded"/> frame: fetch what it stands for.</summary>
    public void Receive(OffloadedFrame offloaded)
    {
        ConnectionByteStreams streams = connection.ByteStreams
            ?? throw new ProtocolViolationException("the peer offloaded a frame on a connection without byte streams");
        if (offloaded.IsReply)
        {
            _ = FetchReplyAsync(streams, offloaded);
            return;
        }

        Held held = new();
        lock (_lock)
        {
            _held.Enqueue(held);
        }

        _ = FetchRequestAsync(streams, offloaded, held);
    }

    /// <summary>
    /// Keeps a request the read loop read while an offloaded request before it is still on its way; false when none
    /// is, and the read loop dispatches it itself.
    /// </summary>
    public bool TryHold(FrameType type, in ReadOnlySequence<byte> body)
    {
        lock (_lock)
        {
            if (_held.Count == 0 && !_draining)
            {
                return false;
            }

            _held.Enqueue(new Held { Type = type, Body = body.ToArray(), IsReady = true });
            return true;
        }
    }

    private async Task FetchReplyAsync(ConnectionByteStreams streams, OffloadedFrame offloaded)
    {
        try
        {
            (FrameType type, ReadOnlySequence<byte> body) = Parse(await streams.FetchAsync(offloaded).ConfigureAwait(false), FrameType.Reply);
            new FrameDispatcher(connection).HandleOffloaded(type, body);
        }
        catch (Exception exception)
        {
            connection.Close(exception);
        }
    }

    private async Task FetchRequestAsync(ConnectionByteStreams streams, OffloadedFrame offloaded, Held held)
    {
        try
        {
            (FrameType type, ReadOnlySequence<byte> body) = Parse(await streams.FetchAsync(offloaded).ConfigureAwait(false), FrameType.Request);
            lock (_lock)
            {
                held.Type = type;
                held.Body = body.ToArray();
                held.IsReady = true;
            }

            Drain();
        }
        catch (Exception exception)
        {
            connection.Close(exception);
        }
    }

    // Dispatches the ready requests at the front, in order, on this thread; another thread that readies one meanwhile leaves it to this one.
    private void Drain()
    {
        lock (_lock)
        {
            if (_draining)
            {
                return;
            }

            _draining = true;
        }

        FrameDispatcher dispatcher = new(connection);
        while (true)
        {
            Held next;
            lock (_lock)
            {
                if (!_held.TryPeek(out next!) || !next.IsReady)
                {
                    _draining = false;
                    break;
                }

                _held.Dequeue();
            }

            dispatcher.HandleOffloaded(next.Type, new ReadOnlySequence<byte>(next.Body));
        }
    }

    // The frame's type and body; it must be the kind the offloaded frame said.
    private static (FrameType Type, ReadOnlySequence<byte> Body) Parse(byte[] frame, FrameType expected)
    {
        ReadOnlySequence<byte> buffer = new(frame);
        if (!Frames.TryRead(ref buffer, OffloadedFrame.MaxLength + Frames.HeaderSize, out FrameType type, out ReadOnlySequence<byte> body) || !buffer.IsEmpty)
        {
            throw new ProtocolViolationException("an offloaded frame is not one whole frame");
        }

        bool fits = expected == FrameType.Reply ? type == FrameType.Reply : type is FrameType.Request or FrameType.ExtendedRequest;
        return fits ? (type, body) : throw new ProtocolViolationException($"an offloaded frame declared as a {expected} is a {type}");
    }

    private sealed class Held
    {
        public FrameType Type { get; set; }

        public byte[] Body { get; set; } = [];

        public bool IsReady { get; set; }
    }
}
