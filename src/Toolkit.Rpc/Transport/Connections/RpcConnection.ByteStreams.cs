namespace Toolkit.Rpc.Transport;

/// <summary>A connection's part in byte streams: its link, the frames offloaded to it, and the hand-over of an accepted link.</summary>
internal sealed partial class RpcConnection
{
    private OffloadedFrames? _offloads;

    /// <summary>The connection's byte streams (and their link), set by the handshake before it opens the connection.</summary>
    public ConnectionByteStreams? ByteStreams { get; set; }

    /// <summary>The offloaded frames received on this connection; null before the first.</summary>
    public OffloadedFrames? Offloads => Volatile.Read(ref _offloads);

    /// <summary>The offloaded frames received on this connection, made on the first.</summary>
    public OffloadedFrames GetOffloads() => Volatile.Read(ref _offloads) ?? LazyInitializer.EnsureInitialized(ref _offloads, () => new OffloadedFrames(this));

    /// <summary>
    /// An accepted connection turned out to be a byte-stream link (<see cref="LinkHandshake"/>): it is no call
    /// connection, and lets go of its socket, which the link now owns, without closing it.
    /// </summary>
    public void HandOver()
    {
        if (Interlocked.Exchange(ref _state, Closed) == Closed)
        {
            return;
        }

        _sender.Close();
        _closing.Cancel();
        _service.Connections.Unregister(this);
        _ready.TrySetException(new RpcConnectionException(DisplayAddress, $"the connection from {DisplayAddress} is a byte-stream link"));
    }
}
