using System.Globalization;
using System.Net.Sockets;

namespace Toolkit.Benchmarks.Blob;

/// <summary>The raw copy's client side: file to socket and socket to file, 1 MiB at a time, no protocol, no hashing, no fsync.</summary>
internal static class RawCopy
{
    public static async Task UploadAsync(string address, string path)
    {
        using Socket socket = await ConnectAsync(address);
        await using NetworkStream stream = new(socket, ownsSocket: false);
        await stream.WriteAsync(new byte[] { (byte)'U', 0, 0, 0, 0, 0, 0, 0, 0 });
        await using (FileStream file = new(path, FileMode.Open, FileAccess.Read, FileShare.Read, 0, FileOptions.Asynchronous | FileOptions.SequentialScan))
        {
            await file.CopyToAsync(stream, 1024 * 1024);
        }

        socket.Shutdown(SocketShutdown.Send);
        byte[] length = new byte[8];
        await stream.ReadExactlyAsync(length);
    }

    public static async Task DownloadAsync(string address, string path)
    {
        using Socket socket = await ConnectAsync(address);
        await using NetworkStream stream = new(socket, ownsSocket: false);
        await stream.WriteAsync(new byte[] { (byte)'D', 0, 0, 0, 0, 0, 0, 0, 0 });
        await using FileStream file = new(path, FileMode.Create, FileAccess.Write, FileShare.None, 0, FileOptions.Asynchronous);
        await stream.CopyToAsync(file, 1024 * 1024);
    }

    public static async Task<Socket> ConnectAsync(string address)
    {
        int colon = address.LastIndexOf(':');
        Socket socket = new(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(address[..colon], int.Parse(address[(colon + 1)..], CultureInfo.InvariantCulture));
        return socket;
    }
}
