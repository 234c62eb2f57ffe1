using System.Buffers;
using System.Buffers.Binary;

namespace Toolkit.Rpc.Transport;

/// <summary>
/// What a frame carries. Every frame is <c>int32 length</c> (of what follows, little-endian), one type byte, then
/// the body. The handshake frames come first, in order; after them only calls, replies and cancellations.
/// </summary>
internal enum FrameType : byte
{
    /// <summary>Client → server: node id, address, nonce, frame limit.</summary>
    Hello = 1,

    /// <summary>Server → client: the same, whether a secret is required, and the server's proof.</summary>
    Welcome = 2,

    /// <summary>Client → server: the client's proof and the gateway contracts it knows.</summary>
    Proof = 3,

    /// <summary>Server → client: the handshake succeeded; the gateway contracts the server knows.</summary>
    Ready = 4,

    /// <summary>Either side: the handshake failed, and why. The connection closes after it.</summary>
    Refused = 5,

    /// <summary><c>int64 callId</c> (0 = one-way), <c>int32 gateway</c>, <c>int32 method</c>, <c>int32 timeoutMs</c>, endpoint name, arguments.</summary>
    Request = 16,

    /// <summary><c>int64 callId</c>, a <see cref="ReplyStatus"/> byte, then the result or the error.</summary>
    Reply = 17,

    /// <summary><c>int64 callId</c>: the caller gave up (timeout or cancellation); cancel the method's token.</summary>
    Cancel = 18,

    /// <summary><c>int64 callId</c>, endpoint name, gateway name: does the endpoint exist, implement it, and do the contracts agree?</summary>
    Lookup = 19,

    /// <summary>
    /// Gateway name, fingerprint, contract lines: the sender's contract for a gateway, sent once per connection before
    /// the first frame that uses the gateway. The receiver compares it with its own and answers with its own contract
    /// (once), so that each side can check the other's calls and skip members a newer peer appended.
    /// </summary>
    Contract = 20,
}

/// <summary>The outcome a <see cref="FrameType.Reply"/> carries.</summary>
internal enum ReplyStatus : byte
{
    /// <summary>The encoded result follows.</summary>
    Ok = 0,

    /// <summary>The method threw: type name, message and stack follow.</summary>
    Exception = 1,

    /// <summary>No such endpoint, or it does not implement the gateway or method: a message follows.</summary>
    NotFound = 2,

    /// <summary>The endpoint is not running: its state byte and a message follow.</summary>
    Unavailable = 3,

    /// <summary>The arguments could not be read or the result not written: a message follows.</summary>
    Serialization = 4,

    /// <summary>The result is over the frame limit: its size and the limit follow.</summary>
    TooLarge = 5,

    /// <summary>The method observed the call's cancellation: a message follows.</summary>
    Cancelled = 6,

    /// <summary>The gateway's contracts on the two sides are incompatible: a message saying what differs follows.</summary>
    Incompatible = 7,
}

/// <summary>The peer broke the protocol: the connection closes with this as the logged reason.</summary>
internal sealed class ProtocolViolationException(string message) : Exception(message);

/// <summary>Frame layout constants and parsing.</summary>
internal static partial class Frames
{
    /// <summary>The length prefix and the type byte.</summary>
    public const int HeaderSize = 5;

    /// <summary>What opens a connection, from each side: <c>TKRPC\0</c> then the protocol version as <c>uint16</c>.</summary>
    public const int PreambleSize = 8;

    /// <summary>The protocol version this build speaks (2: contracts per gateway on first use, version tolerance).</summary>
    public const ushort ProtocolVersion = 2;

    /// <summary>callId, gateway, method, timeout, name length.</summary>
    public const int RequestFixedSize = 8 + 4 + 4 + 4 + 1;

    private static ReadOnlySpan<byte> Magic => "TKRPC\0"u8;

    public static void WritePreamble(Span<byte> destination)
    {
        Magic.CopyTo(destination);
        BinaryPrimitives.WriteUInt16LittleEndian(destination[6..], ProtocolVersion);
    }

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
