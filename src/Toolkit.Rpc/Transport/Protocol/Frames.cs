using System.Buffers;
using System.Buffers.Binary;

namespace Toolkit.Rpc.Transport.Protocol;

/// <summary>The frame header and the preamble (<see cref="FrameType"/> draws every layout), and the splitting of bytes into frames.</summary>
internal static class Frames
{
    /// <summary>The length prefix and the type byte.</summary>
    public const int HeaderSize = 5;

    /// <summary>What opens a connection, from each side: <c>TKRPC\0</c> then the protocol version as <c>uint16</c>.</summary>
    public const int PreambleSize = 8;

    /// <summary>The protocol version this build speaks (2: contracts per gateway on first use, version tolerance).</summary>
    public const ushort ProtocolVersion = 2;

    private static ReadOnlySpan<byte> Magic => "TKRPC\0"u8;

    // What opens a byte-stream link (the second connection beside a call connection) instead of a call connection.
    private static ReadOnlySpan<byte> LinkMagic => "TKLNK\0"u8;

    public static void WritePreamble(Span<byte> destination)
    {
        Magic.CopyTo(destination);
        BinaryPrimitives.WriteUInt16LittleEndian(destination[6..], ProtocolVersion);
    }

    /// <summary>Writes the preamble of a byte-stream link: <c>TKLNK\0</c> then the protocol version.</summary>
    public static void WriteLinkPreamble(Span<byte> destination)
    {
        LinkMagic.CopyTo(destination);
        BinaryPrimitives.WriteUInt16LittleEndian(destination[6..], ProtocolVersion);
    }

    /// <summary>Whether a peer's preamble opens a byte-stream link rather than a call connection.</summary>
    public static bool IsLinkPreamble(ReadOnlySpan<byte> preamble) => preamble[..6].SequenceEqual(LinkMagic);

    /// <summary>Checks a peer's preamble; returns its version, or throws when it is not a Toolkit peer.</summary>
    public static ushort ReadPreamble(ReadOnlySpan<byte> preamble)
    {
        if (!preamble[..6].SequenceEqual(Magic))
        {
            throw new ProtocolViolationException($"the peer is not a Toolkit service: it opened with {Convert.ToHexString(preamble)} instead of the Toolkit preamble");
        }

        return BinaryPrimitives.ReadUInt16LittleEndian(preamble[6..]);
    }

    /// <summary>
    /// Takes one whole frame off the front of <paramref name="buffer"/>. False when the frame is not complete yet;
    /// throws <see cref="ProtocolViolationException"/> when its length is impossible or over <paramref name="maxFrameSize"/>.
    /// </summary>
    public static bool TryRead(ref ReadOnlySequence<byte> buffer, int maxFrameSize, out FrameType type, out ReadOnlySequence<byte> body)
    {
        type = default;
        body = default;
        if (buffer.Length < HeaderSize)
        {
            return false;
        }

        Span<byte> header = stackalloc byte[HeaderSize];
        buffer.Slice(0, HeaderSize).CopyTo(header);
        int length = BinaryPrimitives.ReadInt32LittleEndian(header);
        if (length < 1 || length > maxFrameSize - 4)
        {
            throw new ProtocolViolationException(length < 1
                ? $"a frame declares the impossible length {length}"
                : $"a frame declares {length:N0} bytes, over this service's frame limit of {maxFrameSize:N0} bytes");
        }

        if (buffer.Length - 4 < length)
        {
            return false;
        }

        type = (FrameType)header[4];
        body = buffer.Slice(HeaderSize, length - 1);
        buffer = buffer.Slice(4 + length);
        return true;
    }
}
