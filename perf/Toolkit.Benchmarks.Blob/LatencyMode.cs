using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using Toolkit.Benchmarks.Echo;
using Toolkit.Blob;

namespace Toolkit.Benchmarks.Blob;

/// <summary>
/// The latency mode: echo-64 (<c>lat</c>: 64-byte payload, one call in flight) on the call connection between the
/// blob client's service and the blob server's, beside a plain TCP ping-pong (64 bytes each way on a socket of its
/// own, one in flight), each measured idle and while a blob upload — then a download — of the file runs on the same
/// pair of services. One probe runs at a time, so neither disturbs the other; their order alternates from run to run.
/// </summary>
internal static class LatencyMode
{
    private static readonly string[] Conditions = ["idle", "upload", "download"];
    private static readonly string[] Probes = ["echo", "ping"];
    private static readonly double[] Percentiles = [0.50, 0.99, 0.999];

    public static async Task<int> RunAsync(string[] args)
    {
        int sizeMiB = Bench.Option(args, "--size-mib", 1024);
        int runs = Bench.Option(args, "--runs", 5);
        double idleSeconds = Bench.Option(args, "--idle-ms", 3000) / 1000.0;
        string directory = Bench.Directory(args);
        Directory.CreateDirectory(directory);
        long size = sizeMiB * 1024L * 1024;
        string source = Path.Combine(directory, "source.bin");
        string copy = Path.Combine(directory, "copy.bin");
        await Bench.WriteSourceAsync(source, size);
        try
        {
            await using BenchServer server = await BenchServer.StartAsync(Path.Combine(directory, "server"), ClientMode.DefaultMuxWindow, sampleMemory: false);
            await using RpcService rpc = await RpcService.StartAsync();

            // One service, one call connection to the server's service: the blob client's control calls and the echo
            // calls share it; each transfer has a connection of its own.
            BlobClient client = BlobClient.Create(rpc, server.BlobServer);
            IEchoGateway echo = await rpc.ConnectAsync<IEchoGateway>(server.Echo);
            using Socket pingSocket = await RawCopy.ConnectAsync(server.Ping);
            Dictionary<string, LatencyProbe> probes = new()
            {
                ["echo"] = new EchoProbe(echo),
                ["ping"] = new PingPongProbe(pingSocket),
            };
            JobId job = new("latency");

            // Warm-up: both probes for two seconds each (as echo-64's), and a 64 MiB transfer each way.
            foreach (LatencyProbe probe in probes.Values)
            {
                probe.Start();
                await Task.Delay(2000);
                await probe.StopAsync();
            }

            string warm = Path.Combine(directory, "warm.bin");
            await Bench.WriteSourceAsync(warm, 64L * 1024 * 1024);
            BlobKey warmKey = await client.PutFileAsync(warm, BlobKind.Permanent, job);
            await client.GetAsync(warmKey, copy, job);
            await client.DeleteAsync(warmKey, job);
            File.Delete(copy);

            // results[condition probe][percentile] per run; transfer speeds per condition and probe.
            Dictionary<string, List<double[]>> results = [];
            Dictionary<string, List<double>> speeds = [];
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"load average at start: {Bench.Load()}"));
            for (int run = 1; run <= runs; run++)
            {
                string[] order = run % 2 == 1 ? Probes : [.. Probes.Reverse()];
                BlobKey key = default;
                foreach (string condition in Conditions)
                {
                    foreach (string name in order)
                    {
                        LatencyProbe probe = probes[name];
                        probe.Start();
                        await Task.Delay(200);
                        probe.Recording = true;
                        Stopwatch watch = Stopwatch.StartNew();
                        switch (condition)
                        {
                            case "idle":
                                await Task.Delay(TimeSpan.FromSeconds(idleSeconds));
                                break;
                            case "upload":
                                key = await client.PutFileAsync(source, BlobKind.Permanent, job);
                                break;
                            default:
                                await client.GetAsync(key, copy, job);
                                break;
                        }

                        watch.Stop();
                        LatencyHistogram histogram = await probe.StopAsync();
                        File.Delete(copy);
                        if (probe.Errors > 0)
                        {
                            throw new InvalidOperationException($"the {name} probe failed {probe.Errors} times: {probe.FirstError}");
                        }

                        Add(results, $"{condition} {name}", [.. Percentiles.Select(histogram.PercentileMicroseconds), histogram.Count, histogram.MaxNanoseconds / 1000.0]);
                        if (condition != "idle")
                        {
                            Add(speeds, $"{condition} {name}", size / 1e6 / watch.Elapsed.TotalSeconds);
                        }

                        string transfer = condition == "idle" ? "" : string.Create(CultureInfo.InvariantCulture, $"  transfer {size / 1e6 / watch.Elapsed.TotalSeconds:0} MB/s");
                        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                            $"run {run} {condition,-8} {name}: p50 {histogram.PercentileMicroseconds(0.5),8:0.0} us  p99 {histogram.PercentileMicroseconds(0.99),8:0.0} us  " +
                            $"p99.9 {histogram.PercentileMicroseconds(0.999),8:0.0} us  max {histogram.MaxNanoseconds / 1000.0,8:0} us  calls {histogram.Count,7}{transfer}  load {Bench.Load()}"));
                    }
                }

                await client.DeleteAsync(key, job);
            }

            Console.WriteLine();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"echo-64 lat (call connection of the blob services) vs plain TCP ping-pong, 1 in flight, {runs} runs, medians of the runs' percentiles (us); transfers of {sizeMiB} MiB:"));
            Console.WriteLine("  condition  probe      p50      p99    p99.9      calls  transfer");
            foreach (string condition in Conditions)
            {
                foreach (string name in Probes)
                {
                    List<double[]> measured = results[$"{condition} {name}"];
                    double Median(int index) => Bench.Median(measured.Select(m => m[index]));
                    string transfer = speeds.TryGetValue($"{condition} {name}", out List<double>? mbps) ? $"{Bench.Median(mbps):0} MB/s" : "";
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"  {condition,-9}  {name,-5} {Median(0),8:0.0} {Median(1),8:0.0} {Median(2),8:0.0} {Median(3),10:0}  {transfer}"));
                }
            }

            foreach (string condition in Conditions)
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  {condition}: echo p99 / ping p99 = {Bench.Median(results[$"{condition} echo"].Zip(results[$"{condition} ping"], (e, p) => e[1] / p[1])):0.00} (median of the runs' ratios)"));
            }

            return 0;
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static void Add<T>(Dictionary<string, List<T>> results, string key, T value)
    {
        if (!results.TryGetValue(key, out List<T>? list))
        {
            results[key] = list = [];
        }

        list.Add(value);
    }
}
