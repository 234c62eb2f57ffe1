using System.Buffers;

namespace Toolkit.Rpc.Transport.Protocol;

/// <summary>A <see cref="FrameType.Refused"/>: <c>string reason</c>. The connection closes after it.</summary>
internal static class RefusedFrame
{
    public static void Write(FrameBuffer frame, string reason)
    {
        RpcWriter writer = new(frame);
        writer.WriteString(reason);
        writer.Flush();
    }

    public static string Read(in ReadOnlySequence<byte> body)
    {
        RpcReader reader = new(body);
        return reader.ReadString() ?? "no reason given";
    }
}
