using System.Buffers.Binary;
using System.Net.Sockets;
using System.Text;

namespace Toolkit.Blob.Tests;

/// <summary>Speaks the transfer protocol by hand, to send what a well-behaved client never would.</summary>
internal sealed class RawTransfer : IAsyncDisposable
{
    private readonly TcpClient _client = new();
    private NetworkStream _stream = null!;

    public static async Task<RawTransfer> OpenAsync(string address, byte operation, byte kind, string job, byte[]? key = null)
    {
        RawTransfer raw = new();
        int colon = address.LastIndexOf(':');
        await raw._client.ConnectAsync(address[..colon], int.Parse(address[(colon + 1)..]));
        raw._stream = raw._client.GetStream();
        byte[] hello = [.. "TKBL"u8, 1, 0, .. new byte[16]];
        await raw._stream.WriteAsync(hello);
        byte[] welcome = new byte[5 + 1 + 1 + 16 + 1];
        await raw._stream.ReadExactlyAsync(welcome);
        Assert.Equal(0, welcome[5]);
        byte[] jobBytes = Encoding.UTF8.GetBytes(job);
        byte[] request = [0, operation, kind, (byte)jobBytes.Length, 0, .. jobBytes, .. key ?? new byte[32], .. new byte[8]];
        await raw._stream.WriteAsync(request);
        return raw;
    }

    public async Task<(byte Status, string Message)> ReadStatusAsync()
    {
        byte[] status = new byte[1];
        if (await _stream.ReadAsync(status) == 0)
        {
            return (255, "closed");
        }

        if (status[0] == 0)
        {
            return (0, "");
        }

        byte[] length = new byte[2];
        await _stream.ReadExactlyAsync(length);
        byte[] message = new byte[BinaryPrimitives.ReadUInt16LittleEndian(length)];
        await _stream.ReadExactlyAsync(message);
        return (status[0], Encoding.UTF8.GetString(message));
    }

    public async Task SendChunkAsync(byte[] chunk)
    {
        byte[] header = new byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(header, chunk.Length);
        await _stream.WriteAsync(header);
        await _stream.WriteAsync(chunk);
    }

    public async Task EndAsync(byte[] claimedChecksum)
    {
        await _stream.WriteAsync(new byte[4]);
        await _stream.WriteAsync(claimedChecksum);
    }

    public ValueTask DisposeAsync()
    {
        _client.Dispose();
        return ValueTask.CompletedTask;
    }
}
