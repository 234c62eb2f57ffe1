using MiniCluster.Tests.Infrastructure;
using Toolkit.Testing.Processes;
using Xunit.Abstractions;

namespace MiniCluster.Tests;

/// <summary>Separate processes with one master (standalone HA, no etcd needed): an executor dies by SIGKILL mid-job.</summary>
[Collection(ProcessCollection.Name)]
public sealed class ExecutorFailureTests(ITestOutputHelper output)
{
    [Fact]
    public async Task An_executor_killed_mid_job_has_its_tasks_deployed_again_and_the_job_is_still_right()
    {
        int port = ClusterProcesses.FreePort();
        await using ClusterProcesses cluster = new("--master", $"rpc://127.0.0.1:{port}");
        ChildProcess master = cluster.StartMaster("master-1", port);
        await Lines.LeadingAsync(master, Lines.Startup);
        ChildProcess[] executors = [.. Enumerable.Range(1, 3).Select(i => cluster.StartExecutor($"executor-{i}"))];
        await Task.WhenAll(executors.Select(Lines.RegisteredAsync));

        // Each task pauses 4 s after counting, so that the executor still holds its task when the test reads that it
        // started (the line may come late on a loaded machine) and kills it.
        ChildProcess submitter = cluster.StartSubmitter("killed-executor", "--shards", "12", "--shard-kb", "256", "--reducers", "3", "--pause-ms", "4000");
        await Lines.TaskStartedAsync(executors[0], Lines.Startup);
        long killedAt = MonotonicClock.Now;
        await executors[0].KillAsync();

        (long lostAt, _) = await master.WaitForLineAsync(line => line.Contains("Executor executor-1 lost", StringComparison.Ordinal), TimeSpan.FromSeconds(30), "executor-1 lost");
        (_, string verdict) = await Lines.VerdictAsync(submitter, TimeSpan.FromMinutes(3));
        output.WriteLine($"executor-1 found lost {MonotonicClock.Between(killedAt, lostAt).TotalMilliseconds:F0} ms after SIGKILL; {verdict}");

        Assert.StartsWith("result ok", verdict, StringComparison.Ordinal);
        Assert.True(Lines.Redeployed(verdict) >= 1, verdict);
        // Killed with a task running (found lost, the task deployed again) or while a deployment's reply was on its way
        // (the deployment failed with the closed connection, the task deployed elsewhere): both end in a right result.
        Assert.Contains(master.Lines, line => line.Text.Contains("was on lost executor executor-1", StringComparison.Ordinal) ||
                                              line.Text.Contains("Executor executor-1 refused", StringComparison.Ordinal));
    }
}
