using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using Toolkit.Blob;
using Toolkit.Rpc;

namespace Toolkit.Benchmarks.Blob;

/// <summary>The measuring process: starts the server, then per run a raw copy and a blob transfer of the same file, both ways.</summary>
internal static class ClientMode
{
    public static async Task<int> RunAsync(string[] args)
    {
        int sizeMiB = Option(args, "--size-mib", 1024);
        int runs = Option(args, "--runs", 5);
        string directory = args.SkipWhile(a => a != "--dir").Skip(1).FirstOrDefault() ?? Path.Combine(Path.GetTempPath(), "toolkit-blob-bench");
        Directory.CreateDirectory(directory);
        long size = sizeMiB * 1024L * 1024;
        string source = Path.Combine(directory, "source.bin");
        await WriteSourceAsync(source, size);

        using Process server = Process.Start(new ProcessStartInfo(Environment.ProcessPath!, ["server", Path.Combine(directory, "server")])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
        })!;
        try
        {
            string[] ready = (await server.StandardOutput.ReadLineAsync())!.Split(' ');
            await using RpcService rpc = await RpcService.StartAsync();
            BlobClient client = BlobClient.Create(rpc, ready[1]);
            string raw = ready[2];
            JobId job = new("bench");
            string copy = Path.Combine(directory, "copy.bin");

            // Warm-up: both paths once at 64 MiB, so the measured runs see JIT-compiled, tiered code.
            string warm = Path.Combine(directory, "warm.bin");
            await WriteSourceAsync(warm, 64L * 1024 * 1024);
            BlobKey warmKey = await client.PutFileAsync(warm, BlobKind.Permanent, job);
            await client.GetAsync(warmKey, copy, job);
            await client.DeleteAsync(warmKey, job);
            await RawUploadAsync(raw, warm);
            await RawDownloadAsync(raw, copy);

            await server.StandardInput.WriteLineAsync("mark");
            await server.StandardOutput.ReadLineAsync();
            List<double> rawUp = [], blobUp = [], rawDown = [], blobDown = [];
            List<double> rawUpCpu = [], blobUpCpu = [], rawDownCpu = [], blobDownCpu = [];
            for (int run = 1; run <= runs; run++)
            {
                (double mbps, double cpu) = await MeasureAsync(server, size, () => RawUploadAsync(raw, source));
                rawUp.Add(mbps);
                rawUpCpu.Add(cpu);
                BlobKey key = default;
                (mbps, cpu) = await MeasureAsync(server, size, async () => key = await client.PutFileAsync(source, BlobKind.Permanent, job));
                blobUp.Add(mbps);
                blobUpCpu.Add(cpu);
                (mbps, cpu) = await MeasureAsync(server, size, () => RawDownloadAsync(raw, copy));
                rawDown.Add(mbps);
                rawDownCpu.Add(cpu);
                File.Delete(copy);
                (mbps, cpu) = await MeasureAsync(server, size, () => client.GetAsync(key, copy, job));
                blobDown.Add(mbps);
                blobDownCpu.Add(cpu);
                File.Delete(copy);
                await client.DeleteAsync(key, job);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"run {run}: upload raw {rawUp[^1]:0} MB/s, blob {blobUp[^1]:0} MB/s ({blobUp[^1] / rawUp[^1]:P0}); download raw {rawDown[^1]:0} MB/s, blob {blobDown[^1]:0} MB/s ({blobDown[^1] / rawDown[^1]:P0})"));
            }

            await server.StandardInput.WriteLineAsync("stats");
            string[] stats = (await server.StandardOutput.ReadLineAsync())!.Split(' ');
            double aboveIdle = (long.Parse(stats[2], CultureInfo.InvariantCulture) - long.Parse(stats[1], CultureInfo.InvariantCulture)) / (1024.0 * 1024);
            Console.WriteLine();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{sizeMiB} MiB over loopback, {runs} runs, medians (CPU: both processes, s per GiB):"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  upload    raw {Median(rawUp),6:0} MB/s ({Median(rawUpCpu):0.00} s CPU)  blob {Median(blobUp),6:0} MB/s ({Median(blobUpCpu):0.00} s CPU)  ratio {Median(blobUp.Zip(rawUp, (b, r) => b / r).ToList()):P0}"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  download  raw {Median(rawDown),6:0} MB/s ({Median(rawDownCpu):0.00} s CPU)  blob {Median(blobDown),6:0} MB/s ({Median(blobDownCpu):0.00} s CPU)  ratio {Median(blobDown.Zip(rawDown, (b, r) => b / r).ToList()):P0}"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  server peak resident memory above idle: {aboveIdle:0.0} MiB (idle {long.Parse(stats[1], CultureInfo.InvariantCulture) / (1024.0 * 1024):0} MiB)"));
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

            Directory.Delete(directory, recursive: true);
        }
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

    private static async Task RawUploadAsync(string address, string path)
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

    private static async Task RawDownloadAsync(string address, string path)
    {
        using Socket socket = await ConnectAsync(address);
        await using NetworkStream stream = new(socket, ownsSocket: false);
        await stream.WriteAsync(new byte[] { (byte)'D', 0, 0, 0, 0, 0, 0, 0, 0 });
        await using FileStream file = new(path, FileMode.Create, FileAccess.Write, FileShare.None, 0, FileOptions.Asynchronous);
        await stream.CopyToAsync(file, 1024 * 1024);
    }

    private static async Task<Socket> ConnectAsync(string address)
    {
        int colon = address.LastIndexOf(':');
        Socket socket = new(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(address[..colon], int.Parse(address[(colon + 1)..], CultureInfo.InvariantCulture));
        return socket;
    }

    private static async Task WriteSourceAsync(string path, long size)
    {
        byte[] block = new byte[1024 * 1024];
        Random random = new(42);
        await using FileStream file = new(path, FileMode.Create, FileAccess.Write, FileShare.None, 0, FileOptions.Asynchronous);
        for (long written = 0; written < size; written += block.Length)
        {
            random.NextBytes(block);
            await file.WriteAsync(block.AsMemory(0, (int)Math.Min(block.Length, size - written)));
        }
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
