using System.IO.Pipelines;

namespace Toolkit.Rpc.Serialization;

/// <summary>
/// Where the byte streams a serialization context writes go, and where those it reads come from: a connection's
/// link (<c>ConnectionByteStreams</c>), or the service itself for calls between its own endpoints
/// (<c>LocalByteStreams</c>). A stream is written as a token, an <c>int64</c> that is 0 for null.
/// </summary>
internal abstract class ByteStreamScope
{
    /// <summary>Takes <paramref name="source"/> (a <see cref="Stream"/> or a <see cref="PipeReader"/>) to send; returns its token, never 0.</summary>
    public abstract long Offer(object source, string what);

    /// <summary>The stream whose token was read, as a <see cref="PipeReader"/> or as a <see cref="Stream"/>.</summary>
    public abstract object Accept(long token, bool asStream, string what);

    /// <summary>The stream the byte streams of a context go through, or an error saying why there is none.</summary>
    public static ByteStreamScope Of(RpcSerializationContext? context, string what) =>
        context?.ByteStreams ?? throw new RpcSerializationException(
            $"{what} can only travel through an RpcService: byte streams are written and read by the service's calls, not by RpcSerializer alone.");
}
