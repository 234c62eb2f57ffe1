using Toolkit.Testing.Processes;

namespace Toolkit.Heartbeat.Tests;

/// <summary>
/// Real processes: a master monitoring two workers is paused with SIGSTOP for 2 s — longer than its 1.5 s timeout —
/// while one worker is killed. After SIGCONT the healthy worker must not be timed out, and the killed one must be found.
/// </summary>
[Collection(ProcessCollection.Name)]
public sealed class ProcessStallTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(20);
    private static readonly TimeSpan Stall = TimeSpan.FromSeconds(2);

    [Fact]
    public async Task A_master_paused_with_SIGSTOP_for_2_s_times_out_no_healthy_worker_and_finds_the_worker_killed_meanwhile()
    {
        await using ChildProcess healthy = await StartWorkerAsync("healthy");
        await using ChildProcess doomed = await StartWorkerAsync("doomed");
        await using ChildProcess master = StartMaster(healthy, doomed, stallAware: true);
        await master.WaitForLineAsync("HEARTBEAT healthy", Limit);
        await master.WaitForLineAsync("HEARTBEAT doomed", Limit);

        master.Signal(Signals.Stop);
        await Task.Delay(Stall / 2);
        await doomed.KillAsync();
        await Task.Delay(Stall / 2);
        long resumed = MonotonicClock.Now;
        master.Signal(Signals.Continue);

        (long foundAt, string found) = await master.WaitForLineAsync(
            line => line.StartsWith("UNREACHABLE doomed", StringComparison.Ordinal) || line.StartsWith("TIMEOUT doomed", StringComparison.Ordinal),
            Limit,
            "the killed worker found");
        await master.WaitForLineAsync(line => line.StartsWith("HEARTBEAT healthy", StringComparison.Ordinal) && PrintedAt(line) > resumed, Limit, "a heartbeat of the healthy worker after the pause");
        await master.WaitForLineAsync(line => line.StartsWith("HEARTBEAT healthy", StringComparison.Ordinal) && PrintedAt(line) > resumed + Ticks(TimeSpan.FromSeconds(2)), Limit, "heartbeats 2 s after the pause");

        Assert.DoesNotContain(master.Lines, line => line.Text.StartsWith("TIMEOUT healthy", StringComparison.Ordinal) || line.Text.StartsWith("UNREACHABLE healthy", StringComparison.Ordinal));
        Assert.True(MonotonicClock.Between(resumed, foundAt) < TimeSpan.FromSeconds(5), $"{found} came {MonotonicClock.Between(resumed, foundAt)} after the pause ended");
    }

    [Fact]
    public async Task Without_stall_awareness_the_same_pause_times_out_the_healthy_worker_so_the_pause_did_cover_its_deadline()
    {
        await using ChildProcess healthy = await StartWorkerAsync("healthy");
        await using ChildProcess master = StartMaster(healthy, null, stallAware: false);
        await master.WaitForLineAsync("HEARTBEAT healthy", Limit);

        master.Signal(Signals.Stop);
        await Task.Delay(Stall);
        master.Signal(Signals.Continue);

        await master.WaitForLineAsync("TIMEOUT healthy", Limit);
    }

    private static long PrintedAt(string line) => long.Parse(line[(line.LastIndexOf(' ') + 1)..], System.Globalization.CultureInfo.InvariantCulture);

    private static long Ticks(TimeSpan span) => (long)(span.TotalSeconds * System.Diagnostics.Stopwatch.Frequency);

    private static async Task<ChildProcess> StartWorkerAsync(string name)
    {
        ChildProcess worker = ChildProcess.Start(name, NodeDll, "worker");
        await worker.WaitForLineAsync("LISTENING ", Limit);
        return worker;
    }

    private static ChildProcess StartMaster(ChildProcess first, ChildProcess? second, bool stallAware)
    {
        List<string> arguments = ["master", "--interval", "500", "--timeout", "1500", "--threshold", "2", "--target", Target("healthy", first)];
        if (second is not null)
        {
            arguments.AddRange(["--target", Target("doomed", second)]);
        }

        if (!stallAware)
        {
            arguments.Add("--no-stall-awareness");
        }

        return ChildProcess.Start("master", NodeDll, arguments);
    }

    private static string Target(string id, ChildProcess worker) =>
        $"{id}=rpc://{worker.Lines.First(line => line.Text.StartsWith("LISTENING ", StringComparison.Ordinal)).Text["LISTENING ".Length..]}/w0";

    private static string NodeDll => HelperPaths.Dll(typeof(ProcessStallTests).Assembly, "Toolkit.Heartbeat.TestNode");
}

/// <summary>Process tests run one at a time: their timing must not suffer from each other's load.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ProcessCollection
{
    public const string Name = "processes";
}
