using System.Buffers.Binary;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Toolkit.Blob;
using Toolkit.Rpc;

namespace Toolkit.Benchmarks.Blob;

/// <summary>
/// The server process: a blob server, and a raw TCP listener that does the same copy with nothing on top (file to
/// socket, socket to file). It samples its own resident memory every 5 ms; on stdin, "mark" takes the idle level after
/// a full GC, and "stats" prints the idle level and the peak since.
/// </summary>
internal static class ServerMode
{
    private static long s_peak;

    public static async Task<int> RunAsync(string[] args)
    {
        string directory = args[0];
        Directory.CreateDirectory(directory);
        await using RpcService rpc = await RpcService.StartAsync(new RpcServiceOptions { Listen = "127.0.0.1:0" });
        await using BlobServer server = await BlobServer.StartAsync(rpc, new BlobServerOptions { Directory = Path.Combine(directory, "blobs"), MinFreeBytes = 0 });
        using Socket raw = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        raw.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        raw.Listen();
        _ = ServeRawAsync(raw, directory);
        Thread sampler = new(Sample) { IsBackground = true, Name = "memory sampler" };
        sampler.Start();
        Console.WriteLine($"READY {server.Address} {raw.LocalEndPoint}");
        long idle = 0;
        while (Console.ReadLine() is { } line)
        {
            switch (line)
            {
                case "mark":
                    GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
                    GC.WaitForPendingFinalizers();
                    idle = Resident();
                    Interlocked.Exchange(ref s_peak, idle);
                    Console.WriteLine("MARKED");
                    break;
                case "stats":
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"STATS {idle} {Interlocked.Read(ref s_peak)}"));
                    break;
                case "quit":
                    return 0;
            }
        }

        return 0;
    }

    private static void Sample()
    {
        while (true)
        {
            long now = Resident();
            long peak = Interlocked.Read(ref s_peak);
            if (now > peak)
            {
                Interlocked.CompareExchange(ref s_peak, now, peak);
            }

            Thread.Sleep(5);
        }
    }

    /// <summary>Resident set size from /proc/self/statm (pages), which does not count the page cache.</summary>
    private static long Resident()
    {
        string[] fields = File.ReadAllText("/proc/self/statm").Split(' ');
        return long.Parse(fields[1], CultureInfo.InvariantCulture) * Environment.SystemPageSize;
    }

    private static async Task ServeRawAsync(Socket listener, string directory)
    {
        while (true)
        {
            Socket socket = await listener.AcceptAsync();
            _ = Task.Run(async () =>
            {
                using Socket connection = socket;
                await using NetworkStream stream = new(connection, ownsSocket: false);
                byte[] header = new byte[9];
                await stream.ReadExactlyAsync(header);
                string path = Path.Combine(directory, "raw.bin");
                if (header[0] == (byte)'U')
                {
                    await using FileStream file = new(path, FileMode.Create, FileAccess.Write, FileShare.None, 0, FileOptions.Asynchronous);
                    await stream.CopyToAsync(file, 1024 * 1024);
                    byte[] length = new byte[8];
                    BinaryPrimitives.WriteInt64LittleEndian(length, file.Length);
                    await stream.WriteAsync(length);
                }
                else
                {
                    await using FileStream file = new(path, FileMode.Open, FileAccess.Read, FileShare.Read, 0, FileOptions.Asynchronous | FileOptions.SequentialScan);
                    await file.CopyToAsync(stream, 1024 * 1024);
                }
            });
        }
    }
}
