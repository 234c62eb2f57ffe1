using System.Diagnostics;
using System.Globalization;
using Toolkit.Testing.Processes;

namespace Toolkit.Benchmarks.Services;

/// <summary>
/// One sender monitoring many targets: a master process requests heartbeats from N worker endpoints hosted by one
/// worker process (over one connection), and its CPU time (utime + stime) over a window is reported as % of one core.
/// </summary>
internal static class HeartbeatCpu
{
    public static async Task<int> RunAsync(int targets, int intervalMs, int warmupSeconds, int windowSeconds, int runs, string? receiveSpinMs)
    {
        string node = HelperPaths.Dll(typeof(HeartbeatCpu).Assembly, "Toolkit.Heartbeat.TestNode");
        List<double> percents = [];
        for (int run = 1; run <= runs; run++)
        {
            await using ChildProcess worker = ChildProcess.Start("worker", node, "worker", "--names", targets.ToString(CultureInfo.InvariantCulture));
            string listening = (await worker.WaitForLineAsync("LISTENING ", TimeSpan.FromMinutes(2))).Text["LISTENING ".Length..];
            List<string> arguments =
            [
                "master", "--targets-at", $"rpc://{listening}", targets.ToString(CultureInfo.InvariantCulture),
                "--interval", intervalMs.ToString(CultureInfo.InvariantCulture), "--timeout", (intervalMs * 5).ToString(CultureInfo.InvariantCulture), "--quiet",
            ];
            if (receiveSpinMs is not null)
            {
                arguments.AddRange(["--receive-spin-ms", receiveSpinMs]);
            }

            await using ChildProcess master = ChildProcess.Start("master", node, arguments);
            await master.WaitForLineAsync("MONITORING ", TimeSpan.FromMinutes(2));
            await WaitForAllHeartbeatsAsync(master, targets);
            await Task.Delay(TimeSpan.FromSeconds(warmupSeconds));

            using Process masterProcess = Process.GetProcessById(master.Id);
            using Process workerProcess = Process.GetProcessById(worker.Id);
            masterProcess.Refresh();
            workerProcess.Refresh();
            TimeSpan masterBefore = masterProcess.TotalProcessorTime;
            TimeSpan workerBefore = workerProcess.TotalProcessorTime;
            Stopwatch window = Stopwatch.StartNew();
            await Task.Delay(TimeSpan.FromSeconds(windowSeconds));
            masterProcess.Refresh();
            workerProcess.Refresh();
            double seconds = window.Elapsed.TotalSeconds;
            double masterPercent = (masterProcess.TotalProcessorTime - masterBefore).TotalSeconds / seconds * 100;
            double workerPercent = (workerProcess.TotalProcessorTime - workerBefore).TotalSeconds / seconds * 100;
            int failures = master.Lines.Count(line => line.Text.StartsWith("TIMEOUT", StringComparison.Ordinal) || line.Text.StartsWith("UNREACHABLE", StringComparison.Ordinal));
            Console.WriteLine(FormattableString.Invariant(
                $"run {run}: sender {masterPercent:0.00}% of one core over {seconds:0.0} s for {targets} targets at {intervalMs} ms ({targets * 1000.0 / intervalMs:0} heartbeats/s); targets' process {workerPercent:0.00}%; timeouts+unreachable {failures}; loadavg {Machine.LoadAverage()}"));
            if (failures > 0)
            {
                Console.WriteLine("run invalid: a target was lost");
                return 1;
            }

            percents.Add(masterPercent);
        }

        Console.WriteLine($"RESULT heartbeat-cpu sender % of one core (receive spin {receiveSpinMs ?? "default 1"} ms): " + Machine.Summary(percents, "%"));
        return 0;
    }

    private static async Task WaitForAllHeartbeatsAsync(ChildProcess master, int targets)
    {
        Stopwatch waited = Stopwatch.StartNew();
        while (master.Lines.Count(line => line.Text.StartsWith("HEARTBEAT ", StringComparison.Ordinal)) < targets)
        {
            if (waited.Elapsed > TimeSpan.FromMinutes(2))
            {
                throw new TimeoutException($"only {master.Lines.Count(line => line.Text.StartsWith("HEARTBEAT ", StringComparison.Ordinal))} of {targets} targets answered");
            }

            await Task.Delay(100);
        }
    }
}
