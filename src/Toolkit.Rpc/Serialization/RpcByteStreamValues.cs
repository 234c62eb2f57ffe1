using System.ComponentModel;
using System.IO.Pipelines;

namespace Toolkit.Rpc.Infrastructure;

/// <summary>
/// Writes and reads <see cref="Stream"/> and <see cref="PipeReader"/> arguments and results: on the wire, an
/// <c>int64</c> token (0 for null) that names a channel of the connection's byte-stream link, on which the bytes travel
/// out of band (<see cref="RpcServiceOptions.ByteStreams"/>). Between endpoints of one service the object itself passes.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class RpcByteStreamValues
{
    /// <summary>Writes <paramref name="stream"/>'s token; its bytes follow out of band, and the stream is disposed once sent.</summary>
    public static void WriteStream(ref RpcWriter writer, Stream? stream) =>
        writer.WriteUnmanaged(stream is null ? 0L : ByteStreamScope.Of(writer.Context, "A Stream").Offer(stream, "A Stream"));

    /// <summary>Reads a token and returns the stream its bytes arrive on, or null.</summary>
    public static Stream? ReadStream(ref RpcReader reader)
    {
        long token = reader.ReadUnmanaged<long>();
        return token == 0 ? null : (Stream)ByteStreamScope.Of(reader.Context, "A Stream").Accept(token, asStream: true, "A Stream");
    }

    /// <summary>Writes <paramref name="pipe"/>'s token; its bytes follow out of band, and the reader is completed once sent.</summary>
    public static void WritePipeReader(ref RpcWriter writer, PipeReader? pipe) =>
        writer.WriteUnmanaged(pipe is null ? 0L : ByteStreamScope.Of(writer.Context, "A PipeReader").Offer(pipe, "A PipeReader"));

    /// <summary>Reads a token and returns the reader its bytes arrive on, or null.</summary>
    public static PipeReader? ReadPipeReader(ref RpcReader reader)
    {
        long token = reader.ReadUnmanaged<long>();
        return token == 0 ? null : (PipeReader)ByteStreamScope.Of(reader.Context, "A PipeReader").Accept(token, asStream: false, "A PipeReader");
    }
}
