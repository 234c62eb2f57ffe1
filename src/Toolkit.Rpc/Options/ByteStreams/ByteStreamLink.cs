using System.IO.Pipelines;

namespace Toolkit.Rpc;

/// <summary>
/// The out-of-band link beside one call connection, whose channels carry byte streams; <c>Toolkit.Rpc.Streams</c>
/// implements it. Channels are named by the side that sends: the receiver learns the name from the token written on
/// the call connection (<c>ConnectionByteStreams</c>).
/// </summary>
internal abstract class ByteStreamLink
{
    /// <summary>
    /// Sends what <paramref name="source"/> (a <see cref="Stream"/> or a <see cref="PipeReader"/>) holds on the channel
    /// <paramref name="name"/>, in the background, once the receiver takes it; disposes or completes
    /// <paramref name="source"/> when done, when the receiver leaves, or when the link fails.
    /// </summary>
    public abstract void Send(string name, object source, string what);

    /// <summary>A reader of the channel <paramref name="name"/> the peer sends; it fails rather than end early.</summary>
    public abstract PipeReader Receive(string name, string what);

    /// <summary>Closes the link: streams in flight fail with <paramref name="reason"/>.</summary>
    public abstract void Close(Exception reason);
}
