using System.Collections.Concurrent;
using System.Diagnostics;
using Toolkit.Heartbeat;
using Toolkit.Heartbeat.TestNode;
using Toolkit.Rpc;
using Toolkit.Testing.Processes;

namespace Toolkit.Benchmarks.Services;

/// <summary>
/// How long a sender (in this process) takes to find a dead worker (a process of its own), with Flink's 50 s timeout
/// left in place so that only Toolkit's detection counts: <c>frozen</c> stops the worker with SIGSTOP (its connection
/// stays open, its calls time out), <c>killed</c> kills it with SIGKILL (its connection closes).
/// </summary>
internal static class Detection
{
    public static async Task<int> RunAsync(int runs, int intervalMs, int threshold, string mode)
    {
        string node = HelperPaths.Dll(typeof(Detection).Assembly, "Toolkit.Heartbeat.TestNode");
        HeartbeatOptions options = new() { Interval = TimeSpan.FromMilliseconds(intervalMs), Timeout = TimeSpan.FromSeconds(50), FailureThreshold = threshold };
        ConcurrentQueue<(string Kind, string Id, long At)> events = new();
        await using RpcService service = await RpcService.StartAsync();
        MasterEndpoint master = await service.StartEndpointAsync(
            new MasterEndpoint(new HeartbeatServices(options), (kind, id) => events.Enqueue((kind, id, Stopwatch.GetTimestamp()))), "master");
        List<double> seconds = [];
        ChildProcess? worker = null;
        try
        {
            for (int run = 1; run <= runs; run++)
            {
                string id = $"run{run}";
                if (worker is null || mode == "killed")
                {
                    worker = ChildProcess.Start("worker", node, "worker");
                }

                string address = $"rpc://{(await worker.WaitForLineAsync("LISTENING ", TimeSpan.FromMinutes(1))).Text["LISTENING ".Length..]}/w0";
                IWorkerGateway gateway = await service.ConnectAsync<IWorkerGateway>(address);
                await gateway.HeartbeatFromMasterAsync("master", new MasterPayload("master", 0), TimeSpan.FromSeconds(30));
                await master.RunAsync(() => master.Monitor(id, address));
                await WaitAsync(() => events.Count(e => e.Kind == "HEARTBEAT" && e.Id == id) >= 2, $"two heartbeats of {id}");

                // Fail at a random phase of the request schedule.
                await Task.Delay(Random.Shared.Next(intervalMs));
                long failedAt = Stopwatch.GetTimestamp();
                if (mode == "killed")
                {
                    await worker.KillAsync();
                }
                else
                {
                    worker.Signal(Signals.Stop);
                }

                await WaitAsync(() => events.Any(e => e.Id == id && e.Kind is "UNREACHABLE" or "TIMEOUT"), $"{id} found dead");
                (string kind, _, long at) = events.First(e => e.Id == id && e.Kind is "UNREACHABLE" or "TIMEOUT");
                double detected = Stopwatch.GetElapsedTime(failedAt, at).TotalSeconds;
                seconds.Add(detected);
                Console.WriteLine(FormattableString.Invariant($"run {run}: {mode} worker found {kind} after {detected:0.000} s"));
                if (mode == "killed")
                {
                    await worker.DisposeAsync();
                    worker = null;
                }
                else
                {
                    worker.Signal(Signals.Continue);
                }
            }
        }
        finally
        {
            if (worker is not null)
            {
                await worker.DisposeAsync();
            }
        }

        Console.WriteLine(FormattableString.Invariant($"RESULT detection {mode} interval={intervalMs}ms threshold={threshold}: ") + Machine.Summary(seconds, "s"));
        return 0;
    }

    private static async Task WaitAsync(Func<bool> condition, string what)
    {
        Stopwatch waited = Stopwatch.StartNew();
        while (!condition())
        {
            if (waited.Elapsed > TimeSpan.FromSeconds(60))
            {
                throw new TimeoutException($"no {what} within 60 s");
            }

            await Task.Delay(1);
        }
    }
}
