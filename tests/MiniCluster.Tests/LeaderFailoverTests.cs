using MiniCluster.Contracts;
using MiniCluster.Hosting;
using MiniCluster.Master;
using MiniCluster.Tests.Infrastructure;
using Toolkit.HighAvailability;
using Toolkit.HighAvailability.Tests.Infrastructure;
using Toolkit.Rpc;
using Toolkit.Testing.Processes;
using Xunit.Abstractions;

namespace MiniCluster.Tests;

/// <summary>
/// Two masters, three executors and a submitter as separate processes on a private etcd (lease TTL 3 s): the leader is
/// killed (SIGKILL) or paused (SIGSTOP) mid-job; the standby takes over with a higher epoch, recovers the job from the
/// HA job store, the executors follow it, the job completes with the right counts, and calls made with the old epoch —
/// to the new leader, and to the old one once it resumes — are refused, as is a job-store write with the old epoch.
/// </summary>
[Collection(ProcessCollection.Name)]
public sealed class LeaderFailoverTests(ITestOutputHelper output)
{
    private static readonly TimeSpan LeaseTtl = TimeSpan.FromSeconds(3);

    [EtcdFact]
    public Task The_leader_killed_mid_job_is_replaced_by_the_standby_and_the_job_completes() => FailOverAsync(pause: false);

    [EtcdFact]
    public Task The_leader_paused_past_its_lease_is_replaced_by_the_standby_and_fenced_off_when_it_resumes() => FailOverAsync(pause: true);

    private async Task FailOverAsync(bool pause)
    {
        await using EtcdServer etcd = await EtcdServer.StartAsync();
        await using ClusterProcesses cluster = new("--etcd", etcd.Url, "--root", "/minicluster-test", "--lease-ttl", "3");
        (ChildProcess first, string firstAddress) = cluster.StartMaster("master-1");
        (long oldEpoch, _) = await Lines.LeadingAsync(first, Lines.Startup);
        (ChildProcess standby, string standbyAddress) = cluster.StartMaster("master-2");
        await standby.WaitForLineAsync(line => line.Contains("contends for the leadership", StringComparison.Ordinal), Lines.Startup, "standby");
        ChildProcess[] executors = [.. Enumerable.Range(1, 3).Select(i => cluster.StartExecutor($"executor-{i}"))];
        await Task.WhenAll(executors.Select(Lines.RegisteredAsync));

        string jobId = pause ? "paused-leader" : "killed-leader";
        ChildProcess submitter = cluster.StartSubmitter(jobId, "--shards", "12", "--shard-kb", "256", "--reducers", "3", "--pause-ms", "1500");
        await Lines.MapsDoneAsync(submitter, 2, Lines.Startup);
        int[] seen = [.. executors.Select(executor => executor.Lines.Count)];
        long failedAt = MonotonicClock.Now;
        if (pause)
        {
            first.Signal(Signals.Stop);
        }
        else
        {
            await first.KillAsync();
        }

        (long newEpoch, long grantedAt) = await Lines.LeadingAsync(standby, LeaseTtl + TimeSpan.FromSeconds(15));
        Assert.True(newEpoch > oldEpoch, $"the standby leads in epoch {newEpoch}, not above the old leader's {oldEpoch}");
        Assert.Contains(standby.Lines, line => line.Text.Contains($"Recovered job {jobId} from the HA job store in epoch {newEpoch}", StringComparison.Ordinal));
        // What an executor logs before it follows the new leader belongs to the old leader's tasks.
        int[] following = await Task.WhenAll(executors.Select((executor, i) => Lines.FollowingAsync(executor, newEpoch, TimeSpan.FromSeconds(30), seen[i])));
        long resumedAt = (await Task.WhenAll(executors.Select((executor, i) => Lines.TaskStartedAsync(executor, TimeSpan.FromSeconds(30), following[i])))).Min(line => line.At);
        // With its input downloaded from the new leader's blob server, which restored it from the blob HA store.
        long inputAt = (await Task.WhenAll(executors.Select((executor, i) => Lines.TaskInputAsync(executor, TimeSpan.FromSeconds(30), following[i])))).Min(line => line.At);
        (_, string verdict) = await Lines.VerdictAsync(submitter, TimeSpan.FromMinutes(3));
        output.WriteLine(
            $"{(pause ? "SIGSTOP" : "SIGKILL")} of the leader (epoch {oldEpoch}): standby led in epoch {newEpoch} after {MonotonicClock.Between(failedAt, grantedAt).TotalSeconds:F3} s, " +
            $"first task deployed again after {MonotonicClock.Between(failedAt, resumedAt).TotalSeconds:F3} s, with its input after {MonotonicClock.Between(failedAt, inputAt).TotalSeconds:F3} s; {verdict}");
        Assert.StartsWith("result ok", verdict, StringComparison.Ordinal);
        Assert.Contains($" epoch={newEpoch} ", verdict, StringComparison.Ordinal);
        // The standby started before the job's input was uploaded to the old leader: it served the blobs from the blob HA store.
        Assert.Contains(standby.Lines, line => line.Text.Contains($"of job {jobId} from the HA store", StringComparison.Ordinal));

        await using RpcService client = await RpcService.StartAsync();
        // A caller still holding the old epoch is refused by the new leader, naming both epochs.
        RpcFencingException stale = await Assert.ThrowsAsync<RpcFencingException>(() =>
            client.GetRemoteGateway<IDispatcherGateway>(standbyAddress + "/dispatcher").WithEpoch(oldEpoch).GetJobStatusAsync(jobId));
        Assert.Equal(oldEpoch, stale.CallEpoch);
        Assert.Equal(newEpoch, stale.EndpointEpoch);

        // A write with the old epoch — what a deposed leader would send — is refused by etcd itself.
        await using (IHighAvailabilityServices ha = new HaSettings(etcd.Url, "/minicluster-test", null, LeaseTtl).Create())
        {
            LeadershipLostException refused = await Assert.ThrowsAsync<LeadershipLostException>(() =>
                ha.GetJobGraphStore(MasterLeadership.ComponentId).PutJobGraphAsync(oldEpoch, "written-by-the-old-leader", new byte[] { 1 }));
            Assert.Equal(oldEpoch, refused.WriterEpoch);
            Assert.Equal(newEpoch, refused.CurrentEpoch);
            Assert.DoesNotContain("written-by-the-old-leader", await ha.GetJobGraphStore(MasterLeadership.ComponentId).GetJobIdsAsync());
        }

        if (pause)
        {
            int before = first.Lines.Count;
            first.Signal(Signals.Continue);
            await first.WaitForLineAsync(line => line.Contains("Leadership revoked", StringComparison.Ordinal), TimeSpan.FromSeconds(30), "revocation after the pause", before);
            // The old leader, resumed, no longer acts in its epoch: its fenced endpoints refuse every call, even one with its own old epoch.
            RpcFencingException deposed = await Assert.ThrowsAsync<RpcFencingException>(() =>
                client.GetRemoteGateway<IDispatcherGateway>(firstAddress + "/dispatcher").WithEpoch(oldEpoch).GetJobStatusAsync(jobId));
            Assert.Equal(oldEpoch, deposed.CallEpoch);
            Assert.Null(deposed.EndpointEpoch);
            Assert.DoesNotContain(first.Lines.Skip(before), line => line.Text.Contains("Leading with epoch", StringComparison.Ordinal));
            output.WriteLine($"resumed old leader: {deposed.Message}");
        }
    }
}
