using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using Toolkit.Rpc;
using Nerdbank.Streams;
using Toolkit.Rpc.Streams;

namespace Toolkit.Benchmarks.Streams;

/// <summary>
/// The server process: an RPC service with byte streams and the bench endpoint, and a raw TCP listener that moves the
/// same bytes with nothing on top ('U' + int64 length: read that many and answer the count; 'D' + length: send them).
/// </summary>
internal static class ServerMode
{
    public static async Task<int> RunAsync(string[] args)
    {
        int windowKiB = int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture);
        await using RpcService rpc = await RpcService.StartAsync(new RpcServiceOptions
        {
            Listen = "127.0.0.1:0",
            ByteStreams = new MultiplexedByteStreams { ChannelWindow = windowKiB * 1024 },
        });
        await rpc.StartEndpointAsync(new BenchEndpoint(), "bench");
        using Socket raw = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        raw.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        raw.Listen();
        _ = ServeRawAsync(raw, windowKiB * 1024);
        Console.WriteLine($"READY rpc://{rpc.Address}/bench {raw.LocalEndPoint}");
        while (Console.ReadLine() is { } line && line != "quit")
        {
        }

        return 0;
    }

    private static async Task ServeRawAsync(Socket listener, int window)
    {
        while (true)
        {
            Socket socket = await listener.AcceptAsync();
            socket.NoDelay = true;
            _ = Task.Run(async () =>
            {
                using Socket connection = socket;
                await using NetworkStream stream = new(connection, ownsSocket: false);
                byte[] header = new byte[9];
                await stream.ReadExactlyAsync(header);
                long length = BinaryPrimitives.ReadInt64LittleEndian(header.AsSpan()[1..]);
                if (header[0] is (byte)'M' or (byte)'N')
                {
                    // A bare multiplexer: 'M' receives on channel "bench", 'N' sends on it.
                    await using MultiplexingStream multiplexer = BareChannel.Create(stream, window);
                    if (header[0] == (byte)'M')
                    {
                        await BareChannel.ReceiveAsync(await multiplexer.AcceptChannelAsync("bench"));
                    }
                    else
                    {
                        await BareChannel.SendAsync(await multiplexer.OfferChannelAsync("bench"), length);
                    }

                    // The peer disposes first: disposing before it has read everything would drop queued frames.
                    await multiplexer.Completion;
                }
                else if (header[0] == (byte)'U')
                {
                    long received = await ByteCounts.DrainAsync(stream);
                    byte[] count = new byte[8];
                    BinaryPrimitives.WriteInt64LittleEndian(count, received);
                    await stream.WriteAsync(count);
                }
                else
                {
                    await new BlockStream(length).CopyToAsync(stream, 1024 * 1024);
                }
            });
        }
    }
}
