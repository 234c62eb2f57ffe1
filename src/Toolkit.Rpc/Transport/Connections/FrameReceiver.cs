using System.IO.Pipelines;
using Toolkit.Rpc.Transport.Protocol;

namespace Toolkit.Rpc.Transport;

/// <summary>
/// A connection's reading side: it runs the handshake, then reads frames until the connection closes, handing them to
/// the <see cref="FrameDispatcher"/>. Two kinds sit behind this seam: <see cref="DedicatedReceiver"/>, a thread of its
/// own for plain TCP, and <see cref="PipeReceiver"/>, a loop on the thread pool over a stream (TLS).
/// </summary>
internal abstract class FrameReceiver(RpcConnection connection)
{
    protected RpcConnection Connection { get; } = connection;

    /// <summary>Runs <paramref name="handshake"/>, and then — once it has opened the connection — reads.</summary>
    public abstract void Start(Func<Task> handshake);

    /// <summary>The handshake opened the connection: reading begins with what it read past its last frame.</summary>
    public abstract void Opened(PipeReader handshakeReader);

    /// <summary>Called by the service's watchdog, to look for a reader stuck in callers' or endpoints' code.</summary>
    public virtual void Check(long now, long stallTicks)
    {
    }

    /// <summary>Why reading stopped when the peer closed its side with <paramref name="leftOver"/> bytes of a frame unread.</summary>
    protected static Exception PeerClosed(long leftOver) => leftOver == 0
        ? new IOException("the peer closed the connection")
        : new ProtocolViolationException($"the peer closed the connection in the middle of a frame ({leftOver} bytes left over)");

    /// <summary>Why reading stopped, from what it threw: the peer broke the protocol, or the connection failed.</summary>
    protected static Exception ReadFailure(Exception exception) => exception switch
    {
        ProtocolViolationException => exception,
        RpcSerializationException => new ProtocolViolationException($"a frame is malformed: {exception.Message}"),
        _ => new IOException($"reading failed: {exception.Message}", exception),
    };
}
