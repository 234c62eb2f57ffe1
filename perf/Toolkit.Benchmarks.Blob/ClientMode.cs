using System.Globalization;
using Toolkit.Blob;

namespace Toolkit.Benchmarks.Blob;

/// <summary>
/// The throughput mode: starts the server, then per run copies the file each way raw, as a blob (a connection of its own
/// per transfer) and through a multiplexed channel, and reports medians with the CPU of both processes per GiB.
/// </summary>
internal static class ClientMode
{
    /// <summary>The channel's receiving window cap (<c>MaxChannelReceivingWindowSize</c>) unless <c>--mux-window-kib</c> says otherwise.</summary>
    public const int DefaultMuxWindow = 1024 * 1024;

    public static async Task<int> RunAsync(string[] args)
    {
        int sizeMiB = Bench.Option(args, "--size-mib", 1024);
        int runs = Bench.Option(args, "--runs", 5);
        int window = Bench.Option(args, "--mux-window-kib", DefaultMuxWindow / 1024) * 1024;
        string[] kinds = window > 0 ? ["raw", "blob", "mux"] : ["raw", "blob"];
        string directory = Bench.Directory(args);
        Directory.CreateDirectory(directory);
        long size = sizeMiB * 1024L * 1024;
        string source = Path.Combine(directory, "source.bin");
        await Bench.WriteSourceAsync(source, size);
        try
        {
            await using BenchServer server = await BenchServer.StartAsync(Path.Combine(directory, "server"), window);
            await using RpcService rpc = await RpcService.StartAsync();
            BlobClient client = BlobClient.Create(rpc, server.BlobServer);
            JobId job = new("bench");
            string copy = Path.Combine(directory, "copy.bin");

            // Warm-up: every path once at 64 MiB, so the measured runs see JIT-compiled, tiered code.
            string warm = Path.Combine(directory, "warm.bin");
            await Bench.WriteSourceAsync(warm, 64L * 1024 * 1024);
            BlobKey warmKey = await client.PutFileAsync(warm, BlobKind.Permanent, job);
            await client.GetAsync(warmKey, copy, job);
            await client.DeleteAsync(warmKey, job);
            await RawCopy.UploadAsync(server.Raw, warm);
            await RawCopy.DownloadAsync(server.Raw, copy);
            if (window > 0)
            {
                await MuxCopy.UploadAsync(server.Mux, warm, window);
                await MuxCopy.DownloadAsync(server.Mux, copy, 64L * 1024 * 1024, window);
            }

            File.Delete(copy);

            Dictionary<string, List<(double MBps, double Cpu)>> results = [];
            Dictionary<string, double> peaks = [];
            foreach (string direction in (string[])["upload", "download"])
            {
                foreach (string kind in kinds)
                {
                    results[$"{direction} {kind}"] = [];
                }
            }

            // Each transfer runs between a mark (the server's idle level after a full GC) and a look at its peak since.
            async Task MeasureAsync(string what, Func<Task> transfer)
            {
                await server.MarkAsync();
                results[what].Add(await Bench.MeasureAsync(server, size, transfer));
                (long idle, long peak) = await server.StatsAsync();
                peaks[what] = Math.Max(peaks.GetValueOrDefault(what), (peak - idle) / (1024.0 * 1024));
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"load average at start: {Bench.Load()}"));
            for (int run = 1; run <= runs; run++)
            {
                await MeasureAsync("upload raw", () => RawCopy.UploadAsync(server.Raw, source));
                BlobKey key = default;
                await MeasureAsync("upload blob", async () => key = await client.PutFileAsync(source, BlobKind.Permanent, job));
                if (window > 0)
                {
                    await MeasureAsync("upload mux", () => MuxCopy.UploadAsync(server.Mux, source, window));
                }

                await MeasureAsync("download raw", () => RawCopy.DownloadAsync(server.Raw, copy));
                File.Delete(copy);
                await MeasureAsync("download blob", () => client.GetAsync(key, copy, job));
                File.Delete(copy);
                if (window > 0)
                {
                    await MeasureAsync("download mux", () => MuxCopy.DownloadAsync(server.Mux, copy, size, window));
                    File.Delete(copy);
                }

                await client.DeleteAsync(key, job);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"run {run}: upload {string.Join(", ", kinds.Select(k => $"{k} {results[$"upload {k}"][^1].MBps:0}"))} MB/s; " +
                    $"download {string.Join(", ", kinds.Select(k => $"{k} {results[$"download {k}"][^1].MBps:0}"))} MB/s; load {Bench.Load()}"));
            }

            Console.WriteLine();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{sizeMiB} MiB over loopback, {runs} runs, medians (CPU: both processes, s per GiB; ratio: median of the runs' ratios to raw; memory: the largest peak of the server's resident set above its idle level after a full GC); channel window cap {window / 1024} KiB (0: channel not measured):"));
            foreach (string direction in (string[])["upload", "download"])
            {
                List<(double MBps, double Cpu)> raw = results[$"{direction} raw"];
                foreach (string kind in kinds)
                {
                    List<(double MBps, double Cpu)> measured = results[$"{direction} {kind}"];
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"  {direction,-8} {kind,-4} {Bench.Median(measured.Select(m => m.MBps)),6:0} MB/s  {Bench.Median(measured.Select(m => m.Cpu)),5:0.00} s CPU  " +
                        $"ratio {Bench.Median(measured.Zip(raw, (m, r) => m.MBps / r.MBps)),4:P0}  server peak above idle {peaks[$"{direction} {kind}"],5:0.0} MiB"));
                }
            }

            return 0;
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
