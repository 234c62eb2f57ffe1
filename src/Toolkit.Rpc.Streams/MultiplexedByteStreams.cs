using Nerdbank.Streams;

namespace Toolkit.Rpc.Streams;

/// <summary>
/// Byte streams on Nerdbank.Streams' <see cref="MultiplexingStream"/>: one second connection per pair of services,
/// beside the call connection, whose channels (one per <see cref="Stream"/> or <see cref="System.IO.Pipelines.PipeReader"/>
/// argument or result, and per offloaded message) each have flow control of their own, so that bulk bytes never wait
/// in the call connection's queue and a reader that pauses stalls only its own channel. Set it as
/// <see cref="RpcServiceOptions.ByteStreams"/> on both services.
/// </summary>
public sealed class MultiplexedByteStreams : RpcByteStreams
{
    /// <summary>The default <see cref="ChannelWindow"/>: 1 MiB.</summary>
    public const int DefaultChannelWindow = 1024 * 1024;

    /// <summary>
    /// How many bytes of one channel may be in flight — sent and not yet read by the receiver: 1 MiB by default. The
    /// multiplexer's protocol 3 is used, whose windows do not grow, and its <c>MaxChannelReceivingWindowSize</c> is
    /// capped at this value too, so a channel never buffers more than this whatever a peer asks.
    /// </summary>
    public int ChannelWindow
    {
        get;
        init => field = value >= 64 * 1024 ? value : throw new ArgumentOutOfRangeException(nameof(ChannelWindow), value, "The channel window is at least 64 KiB.");
    } = DefaultChannelWindow;

    internal override ByteStreamLink CreateLink(Task<Stream> transport, ByteStreamLinkContext context) =>
        new MultiplexedLink(transport, context, new MultiplexingStream.Options
        {
            ProtocolMajorVersion = 3,
            DefaultChannelReceivingWindowSize = ChannelWindow,
            MaxChannelReceivingWindowSize = ChannelWindow,
            FaultOpenChannelsOnStreamDisposal = true,
        });
}
