using System.Buffers.Binary;
using System.Text;

namespace Toolkit.Blob;

/// <summary>
/// The transfer protocol: one TCP connection (optionally TLS) per transfer, little-endian throughout.
/// <code>
/// client hello   "TKBL" u8 version  u8 flags(1 = has secret)  nonce[16]
/// server hello   "TKBL" u8 version  u8 status  { status = 0: u8 flags  nonce[16]  u8 n  proof[n] | else: u16 n  message[n] }
/// request        u8 n  proof[n]  u8 operation  u8 kind  u8 j  u8 h  job[j]  holder[h] (UTF-8)  key[32]  i64 offset
/// reply          u8 status { status != 0: u16 n  message[n] }   (an error reply ends the transfer)
/// PUT            server: reply   client: { i32 n  bytes[n] }*  i32 0  xxh128[16]   server: reply, key[32]
/// GET            server: reply, i64 total, bytes[offset..total)   client: u8 verdict (1 verified, 2 mismatch)   on 2, server: reply
/// </code>
/// The server answers a client hello with <see cref="BlobError.Busy"/> at once when its transfers and backlog are
/// full. The proofs are the RPC handshake's (HMAC-SHA256 of the role and both nonces under the shared secret).
/// </summary>
internal static class TransferProtocol
{
    public const byte Version = 1;
    public const int NonceSize = 16;

    /// <summary>
    /// The size of an upload's checksum: XXH128 of the content, which the server compares with its own to catch damage
    /// in transit. The key (SHA-256) is the server's to compute; a second SHA-256 on the client would cost as much CPU
    /// as the copy itself, for no protection TLS does not give against tampering.
    /// </summary>
    public const int ChecksumSize = 16;
    public const int HelloSize = 4 + 1 + 1 + NonceSize;

    /// <summary>The largest chunk of an upload; a larger length is a malformed frame.</summary>
    public const int MaxChunk = 1024 * 1024;

    /// <summary>How many bytes one read or write moves.</summary>
    public const int BufferSize = 1024 * 1024;

    /// <summary>The client's verdict on a download: the content matches its key (a transient blob is then deleted).</summary>
    public const byte Verified = 1;

    /// <summary>The client's verdict on a download: the content does not match; the server checks its own file and answers.</summary>
    public const byte Mismatch = 2;

    public const string ClientRole = "blob-client";
    public const string ServerRole = "blob-server";

    public static ReadOnlySpan<byte> Magic => "TKBL"u8;

    public static void WriteHello(Span<byte> destination, bool hasSecret, ReadOnlySpan<byte> nonce)
    {
        Magic.CopyTo(destination);
        destination[4] = Version;
        destination[5] = hasSecret ? (byte)1 : (byte)0;
        nonce.CopyTo(destination[6..]);
    }

    /// <summary>Writes a status with its message (when not <see cref="BlobError.None"/>); returns the bytes written.</summary>
    public static int WriteStatus(Span<byte> destination, BlobError status, string? message)
    {
        destination[0] = (byte)status;
        if (status == BlobError.None)
        {
            return 1;
        }

        string text = message ?? status.ToString();
        int max = Math.Min(destination.Length - 3, 4096);
        if (Encoding.UTF8.GetByteCount(text) > max)
        {
            text = text[..Math.Min(text.Length, max / 4)];
        }

        int length = Encoding.UTF8.GetBytes(text, destination[3..]);
        BinaryPrimitives.WriteUInt16LittleEndian(destination[1..], (ushort)length);
        return 3 + length;
    }

    public static async ValueTask<(BlobError Status, string? Message)> ReadStatusAsync(TransferConnection connection)
    {
        byte[] header = connection.Scratch;
        await connection.ReadExactlyAsync(header.AsMemory(0, 1)).ConfigureAwait(false);
        BlobError status = (BlobError)header[0];
        if (status == BlobError.None)
        {
            return (status, null);
        }

        await connection.ReadExactlyAsync(header.AsMemory(0, 2)).ConfigureAwait(false);
        int length = BinaryPrimitives.ReadUInt16LittleEndian(header);
        byte[] message = new byte[length];
        await connection.ReadExactlyAsync(message).ConfigureAwait(false);
        return (Enum.IsDefined(status) ? status : BlobError.ServerError, Encoding.UTF8.GetString(message));
    }
}
