namespace Toolkit.Rpc;

/// <summary>
/// What carries <see cref="Stream"/> and <see cref="System.IO.Pipelines.PipeReader"/> arguments and results, and
/// offloaded large messages, out of band: on a second connection between the same two services, beside the call
/// connection. Set <see cref="RpcServiceOptions.ByteStreams"/> to the implementation in the <c>Toolkit.Rpc.Streams</c>
/// package (<c>new MultiplexedByteStreams()</c>) on both services; without it, a byte stream fails its call saying so.
/// </summary>
public abstract class RpcByteStreams
{
    /// <summary>The default <see cref="OffloadThreshold"/>: 1 MiB, as Flink's <c>blob.offload.minsize</c>.</summary>
    public const int DefaultOffloadThreshold = 1024 * 1024;

    internal RpcByteStreams()
    {
    }

    /// <summary>
    /// The encoded size from which a call's arguments or a reply's result travel through a byte stream instead of in
    /// their frame, when they would not fit in it (<see cref="RpcTransportOptions.MaxFrameSize"/>) and the peer carries
    /// byte streams too: 1 MiB by default. Arguments or results below it, or that fit in a frame, go in the frame.
    /// <see cref="int.MaxValue"/> turns offloading off.
    /// </summary>
    public int OffloadThreshold
    {
        get;
        init => field = value >= 0 ? value : throw new ArgumentOutOfRangeException(nameof(OffloadThreshold), value, "The offload threshold cannot be negative.");
    } = DefaultOffloadThreshold;

    /// <summary>
    /// How long a byte stream that was sent waits for its receiver to take it (the receiver takes it when it reads the
    /// call or reply that carries it) before the sender gives up on it and disposes its source: 30 seconds by default.
    /// </summary>
    public TimeSpan UnclaimedTimeout
    {
        get;
        init => field = value > TimeSpan.Zero ? value : throw new ArgumentOutOfRangeException(nameof(UnclaimedTimeout), value, "The unclaimed timeout must be positive.");
    } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Starts a link over <paramref name="transport"/>, the authenticated second connection to a peer, which
    /// completes once it is open (or faults when it cannot be opened).
    /// </summary>
    internal abstract ByteStreamLink CreateLink(Task<Stream> transport, ByteStreamLinkContext context);
}
