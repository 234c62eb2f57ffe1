using System.Buffers.Binary;
using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using Toolkit.Rpc;
using Nerdbank.Streams;
using Toolkit.Rpc.Streams;

namespace Toolkit.Benchmarks.Streams;

/// <summary>The measuring process: starts the server, then per run the raw copy and the byte stream of the same size, both ways, alternating.</summary>
internal static class ClientMode
{
    public static async Task<int> RunAsync(string[] args)
    {
        int sizeMiB = Option(args, "--size-mib", 1024);
        int runs = Option(args, "--runs", 5);
        int windowKiB = Option(args, "--window-kib", MultiplexedByteStreams.DefaultChannelWindow / 1024);
        long size = sizeMiB * 1024L * 1024;
        using Process server = Process.Start(new ProcessStartInfo(Environment.ProcessPath!, ["server", windowKiB.ToString(CultureInfo.InvariantCulture)])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
        })!;
        try
        {
            string[] ready = (await server.StandardOutput.ReadLineAsync())!.Split(' ');
            await using RpcService rpc = await RpcService.StartAsync(new RpcServiceOptions
            {
                ByteStreams = new MultiplexedByteStreams { ChannelWindow = windowKiB * 1024 },
            });
            IStreamBenchGateway bench = await rpc.ConnectAsync<IStreamBenchGateway>(ready[1]);
            string raw = ready[2];

            // Warm-up: every path once at 64 MiB, so the measured runs see JIT-compiled, tiered code.
            const long Warm = 64L * 1024 * 1024;
            await RawUploadAsync(raw, Warm);
            await RawDownloadAsync(raw, Warm);
            await StreamUploadAsync(bench, Warm);
            await StreamDownloadAsync(bench, Warm);

            await BareAsync(raw, Warm, upload: true, windowKiB * 1024);
            await BareAsync(raw, Warm, upload: false, windowKiB * 1024);

            List<double> rawUp = [], streamUp = [], rawDown = [], streamDown = [], bareUp = [], bareDown = [];
            List<double> rawUpCpu = [], streamUpCpu = [], rawDownCpu = [], streamDownCpu = [], bareUpCpu = [], bareDownCpu = [];
            for (int run = 1; run <= runs; run++)
            {
                Measure(rawUp, rawUpCpu, await MeasureAsync(server, size, () => RawUploadAsync(raw, size)));
                Measure(streamUp, streamUpCpu, await MeasureAsync(server, size, () => StreamUploadAsync(bench, size)));
                Measure(rawDown, rawDownCpu, await MeasureAsync(server, size, () => RawDownloadAsync(raw, size)));
                Measure(streamDown, streamDownCpu, await MeasureAsync(server, size, () => StreamDownloadAsync(bench, size)));
                Measure(bareUp, bareUpCpu, await MeasureAsync(server, size, () => BareAsync(raw, size, upload: true, windowKiB * 1024)));
                Measure(bareDown, bareDownCpu, await MeasureAsync(server, size, () => BareAsync(raw, size, upload: false, windowKiB * 1024)));
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"run {run}: upload raw {rawUp[^1]:0} MB/s, stream {streamUp[^1]:0} MB/s ({streamUp[^1] / rawUp[^1]:P0}), bare channel {bareUp[^1]:0} MB/s; download raw {rawDown[^1]:0} MB/s, stream {streamDown[^1]:0} MB/s ({streamDown[^1] / rawDown[^1]:P0}), bare channel {bareDown[^1]:0} MB/s"));
            }

            Console.WriteLine();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{sizeMiB} MiB over loopback, channel window {windowKiB} KiB, {runs} runs, medians (CPU: both processes, s per GiB):"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  upload    raw {Median(rawUp),6:0} MB/s ({Median(rawUpCpu):0.00} s CPU)  stream {Median(streamUp),6:0} MB/s ({Median(streamUpCpu):0.00} s CPU)  ratio {Median(streamUp.Zip(rawUp, (s, r) => s / r).ToList()):P0}"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  download  raw {Median(rawDown),6:0} MB/s ({Median(rawDownCpu):0.00} s CPU)  stream {Median(streamDown),6:0} MB/s ({Median(streamDownCpu):0.00} s CPU)  ratio {Median(streamDown.Zip(rawDown, (s, r) => s / r).ToList()):P0}"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  bare Nerdbank channel, no Toolkit: upload {Median(bareUp),6:0} MB/s ({Median(bareUpCpu):0.00} s CPU), ratio {Median(bareUp.Zip(rawUp, (s, r) => s / r).ToList()):P0}; download {Median(bareDown),6:0} MB/s ({Median(bareDownCpu):0.00} s CPU), ratio {Median(bareDown.Zip(rawDown, (s, r) => s / r).ToList()):P0}"));
            await server.StandardInput.WriteLineAsync("quit");
            await server.WaitForExitAsync();
            return 0;
        }
        finally
        {
            if (!server.HasExited)
            {
                server.Kill();
            }
        }
    }

    private static void Measure(List<double> rates, List<double> cpus, (double MBps, double CpuPerGiB) measured)
    {
        rates.Add(measured.MBps);
        cpus.Add(measured.CpuPerGiB);
    }

    private static async Task<(double MBps, double CpuPerGiB)> MeasureAsync(Process server, long size, Func<Task> transfer)
    {
        server.Refresh();
        TimeSpan cpuBefore = server.TotalProcessorTime + Process.GetCurrentProcess().TotalProcessorTime;
        Stopwatch watch = Stopwatch.StartNew();
        await transfer();
        watch.Stop();
        server.Refresh();
        TimeSpan cpu = server.TotalProcessorTime + Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;
        return (size / 1e6 / watch.Elapsed.TotalSeconds, cpu.TotalSeconds / (size / (1024.0 * 1024 * 1024)));
    }

    private static async Task StreamUploadAsync(IStreamBenchGateway bench, long size)
    {
        long received = await bench.SinkAsync(new BlockStream(size));
        Check(received, size);
    }

    private static async Task StreamDownloadAsync(IStreamBenchGateway bench, long size)
    {
        await using Stream stream = await bench.SourceAsync(size);
        Check(await ByteCounts.DrainAsync(stream), size);
    }

    private static async Task RawUploadAsync(string address, long size)
    {
        using Socket socket = await ConnectAsync(address);
        await using NetworkStream stream = new(socket, ownsSocket: false);
        await stream.WriteAsync(Header('U', size));
        await new BlockStream(size).CopyToAsync(stream, 1024 * 1024);
        socket.Shutdown(SocketShutdown.Send);
        byte[] count = new byte[8];
        await stream.ReadExactlyAsync(count);
        Check(BinaryPrimitives.ReadInt64LittleEndian(count), size);
    }

    private static async Task RawDownloadAsync(string address, long size)
    {
        using Socket socket = await ConnectAsync(address);
        await using NetworkStream stream = new(socket, ownsSocket: false);
        await stream.WriteAsync(Header('D', size));
        Check(await ByteCounts.DrainAsync(stream), size);
    }

    private static async Task BareAsync(string address, long size, bool upload, int window)
    {
        using Socket socket = await ConnectAsync(address);
        NetworkStream stream = new(socket, ownsSocket: false);
        await stream.WriteAsync(Header(upload ? 'M' : 'N', size));
        await using MultiplexingStream multiplexer = BareChannel.Create(stream, window);
        if (upload)
        {
            await BareChannel.SendAsync(await multiplexer.OfferChannelAsync("bench"), size);
        }
        else
        {
            Check(await BareChannel.ReceiveAsync(await multiplexer.AcceptChannelAsync("bench")), size);
        }
    }

    private static byte[] Header(char kind, long size)
    {
        byte[] header = new byte[9];
        header[0] = (byte)kind;
        BinaryPrimitives.WriteInt64LittleEndian(header.AsSpan(1), size);
        return header;
    }

    private static void Check(long moved, long size)
    {
        if (moved != size)
        {
            throw new InvalidOperationException($"moved {moved} bytes, not {size}");
        }
    }

    private static async Task<Socket> ConnectAsync(string address)
    {
        int colon = address.LastIndexOf(':');
        Socket socket = new(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(address[..colon], int.Parse(address[(colon + 1)..], CultureInfo.InvariantCulture));
        return socket;
    }

    private static double Median(List<double> values)
    {
        List<double> sorted = [.. values.Order()];
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }

    private static int Option(string[] args, string name, int fallback)
    {
        int index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? int.Parse(args[index + 1], CultureInfo.InvariantCulture) : fallback;
    }
}
