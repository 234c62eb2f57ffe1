using dotnet_etcd;
using Etcdserverpb;
using Toolkit.HighAvailability.Tests.Infrastructure;
using Toolkit.Testing.Processes;

namespace Toolkit.HighAvailability.Tests;

/// <summary>
/// Leader election on a real etcd between separate processes (TTL 3 s, renew deadline 2 s, retry period 0.5 s):
/// crashes, pauses and an etcd restart.
/// </summary>
[Collection(EtcdCollection.Name)]
public sealed class EtcdElectionTests(EtcdFixture etcd)
{
    private static readonly TimeSpan Limit = Contenders.Limit;

    // etcd checks lease expiry every 500 ms; on a shared 2-core machine the processes may wait for a core as long again.
    private static readonly TimeSpan FailoverBound = Contenders.Ttl + Contenders.RetryPeriod + TimeSpan.FromSeconds(1);

    [EtcdFact]
    public async Task Two_contenders_elect_exactly_one_leader_whose_term_is_its_keys_create_revision()
    {
        await using Contenders cluster = new(etcd.Server);
        ChildProcess a = await cluster.StartAsync("a");
        ChildProcess b = await cluster.StartAsync("b");
        NodeEvent grant = await cluster.WaitForGrantAsync(0, Limit);

        // Both have campaigned once both keys exist; both listeners then agree on the leader.
        using EtcdClient client = new(etcd.Server.Url);
        string prefix = $"{cluster.Root}/election/{cluster.Component}/";
        RangeResponse keys = await WaitForAsync(
            async () => await client.GetAsync(new RangeRequest { Key = Google.Protobuf.ByteString.CopyFromUtf8(prefix), RangeEnd = Google.Protobuf.ByteString.CopyFromUtf8(prefix[..^1] + "0") }),
            range => range.Kvs.Count == 2,
            "both contenders' keys");
        foreach (ChildProcess node in new[] { a, b })
        {
            await node.WaitForLineAsync(line => line.StartsWith($"LEADER {grant.Epoch} ", StringComparison.Ordinal), Limit, "the leader retrieved");
        }

        Assert.Equal(keys.Kvs.Min(kv => kv.CreateRevision), grant.Epoch);
        Assert.All(keys.Kvs, kv => Assert.NotEqual(0, kv.Lease));
        Assert.Single(cluster.AllEvents, e => e.Kind == "GRANT");
        Assert.DoesNotContain(cluster.AllEvents, e => e.Kind == "REVOKE");
    }

    [EtcdFact]
    public async Task A_leader_killed_with_SIGKILL_is_replaced_by_the_standby_in_a_higher_term_within_the_ttl_and_retry_period()
    {
        await using Contenders cluster = new(etcd.Server);
        await cluster.StartAsync("a");
        await cluster.StartAsync("b");
        NodeEvent first = await cluster.WaitForGrantAsync(0, Limit);
        ChildProcess leader = cluster.NodeNamed(first.Node);
        await leader.WaitForLineAsync("CONFIRMED", Limit);

        long killedAt = MonotonicClock.Now;
        await leader.KillAsync();
        NodeEvent second = await cluster.WaitForGrantAsync(first.Epoch, Limit);

        Assert.NotEqual(first.Node, second.Node);
        Assert.True(second.Epoch > first.Epoch);
        TimeSpan failover = MonotonicClock.Between(killedAt, second.At);
        Assert.True(failover <= FailoverBound, $"the standby was granted {failover.TotalMilliseconds:0} ms after the kill (bound {FailoverBound.TotalMilliseconds:0} ms)");
    }

    [EtcdFact]
    public async Task A_leader_paused_past_its_ttl_is_replaced_and_after_SIGCONT_has_revoked_itself_and_none_of_its_writes_or_fenced_calls_is_accepted()
    {
        await using Contenders cluster = new(etcd.Server, "dispatcher");
        // A worker that follows the leader by retrieval and runs only the current leader's fenced calls.
        ChildProcess worker = await cluster.StartAsync("w", "--retrieve-only");
        string workerAddress = Contenders.Events(worker).First(e => e.Kind == "WORKER").Fields[0];
        await cluster.StartAsync("a", "--write-every", "50", "--call", workerAddress, "--call-every", "50");
        await cluster.StartAsync("b", "--write-every", "50", "--call", workerAddress, "--call-every", "50");
        NodeEvent first = await cluster.WaitForGrantAsync(0, Limit);
        ChildProcess old = cluster.NodeNamed(first.Node);
        await old.WaitForLineAsync(line => line.StartsWith($"WRITE {first.Epoch} ", StringComparison.Ordinal) && line.Contains(" accepted ", StringComparison.Ordinal), Limit, "an accepted write");

        old.Signal(Signals.Stop);
        long pausedAt = MonotonicClock.Now;
        NodeEvent successor = await cluster.WaitForGrantAsync(first.Epoch, Limit);
        ChildProcess standby = cluster.NodeNamed(successor.Node);
        await standby.WaitForLineAsync(line => line.StartsWith($"WRITE {successor.Epoch} ", StringComparison.Ordinal) && line.Contains(" accepted ", StringComparison.Ordinal), Limit, "the successor's accepted write");
        await worker.WaitForLineAsync(line => line.StartsWith($"WORKER-EPOCH {successor.Epoch} ", StringComparison.Ordinal), Limit, "the worker following the successor");
        await standby.WaitForLineAsync(line => line.StartsWith($"CALL {successor.Epoch} ", StringComparison.Ordinal) && line.Contains(" accepted ", StringComparison.Ordinal), Limit, "the successor's accepted call");
        long resumedAt = MonotonicClock.Now;
        old.Signal(Signals.Continue);

        // Let the resumed leader attempt at least ten writes with its old term. A write it issued before the pause may
        // complete after it (etcd took it while the term still led); only writes issued after the pause count.
        List<NodeEvent> OldAttempts(string kind) => [.. Contenders.Events(old).Where(e => e.Kind == kind && e.Epoch == first.Epoch && Issued(e) > resumedAt)];
        await WaitForAsync(() => Task.FromResult(OldAttempts("WRITE")), writes => writes.Count >= 10, "ten writes after the pause");
        await WaitForAsync(() => Task.FromResult(OldAttempts("CALL")), calls => calls.Count >= 10, "ten fenced calls after the pause");
        List<NodeEvent> oldWrites = OldAttempts("WRITE");
        List<NodeEvent> oldCalls = OldAttempts("CALL");
        NodeEvent? revoke = Contenders.Events(old).FirstOrDefault(e => e.Kind == "REVOKE" && e.Epoch == first.Epoch);

        Assert.True(successor.At > pausedAt && successor.At < resumedAt, "the standby must take over while the leader is paused");
        Assert.True(revoke is not null && revoke.At > resumedAt && revoke.At <= Issued(oldWrites[0]), "the old leader must revoke itself after SIGCONT before it attempts anything:\n" + old.Tail());
        Assert.All(oldWrites, write => Assert.Equal("not-leading", write.Fields[2]));
        Assert.Equal(0, oldWrites.Count(write => write.Fields[3] == "accepted"));
        Assert.Equal(oldWrites.Count, oldWrites.Count(write => write.Fields[3] == "rejected"));

        // Its fenced calls too: the worker, at the successor's epoch, refuses every one.
        Assert.Equal(0, oldCalls.Count(call => call.Fields[3] == "accepted"));
        Assert.Equal(oldCalls.Count, oldCalls.Count(call => call.Fields[3] == "rejected"));

        // And etcd holds none of them: every job the old leader tried to write after the pause is absent.
        using EtcdClient client = new(etcd.Server.Url);
        foreach (NodeEvent write in oldWrites)
        {
            RangeResponse found = await client.GetAsync(new RangeRequest { Key = Google.Protobuf.ByteString.CopyFromUtf8($"{cluster.Root}/jobgraphs/{write.Fields[1]}") });
            Assert.Empty(found.Kvs);
        }
    }

    [EtcdFact]
    public async Task An_etcd_restart_mid_run_never_gives_two_leaders_at_once()
    {
        await using Contenders cluster = new(etcd.Server);
        await cluster.StartAsync("a");
        await cluster.StartAsync("b");
        await cluster.StartAsync("c");
        NodeEvent first = await cluster.WaitForGrantAsync(0, Limit);

        // A restart at once (etcd is back within about a second) and one after 3 s down (past the renew deadline).
        await etcd.Server.RestartAsync(TimeSpan.Zero);
        long highest = cluster.AllEvents.Where(e => e.Kind == "GRANT").Max(e => e.Epoch);
        await etcd.Server.RestartAsync(TimeSpan.FromSeconds(3));
        NodeEvent after = await cluster.WaitForGrantAsync(highest, Limit);
        foreach (ChildProcess node in cluster.Nodes)
        {
            await node.WaitForLineAsync(line => line.StartsWith($"LEADER {after.Epoch} ", StringComparison.Ordinal), Limit, "the new leader retrieved");
        }

        // From every grant and revoke instant: a node's leadership runs from its GRANT to its REVOKE (or on).
        List<(string Node, long Epoch, long From, long To)> terms = [];
        foreach (ChildProcess node in cluster.Nodes)
        {
            List<NodeEvent> events = [.. Contenders.Events(node)];
            foreach (NodeEvent grant in events.Where(e => e.Kind == "GRANT"))
            {
                NodeEvent? revoke = events.FirstOrDefault(e => e.Kind == "REVOKE" && e.Epoch == grant.Epoch);
                terms.Add((node.Name, grant.Epoch, grant.At, revoke?.At ?? long.MaxValue));
            }
        }

        Assert.True(terms.Count >= 2, "the long restart must have ended the first leadership");
        foreach ((string Node, long Epoch, long From, long To) x in terms)
        {
            foreach ((string Node, long Epoch, long From, long To) y in terms.Where(y => y != x))
            {
                Assert.False(x.From < y.To && y.From < x.To, $"terms {x.Epoch} ({x.Node}) and {y.Epoch} ({y.Node}) overlap");
            }
        }

        List<long> epochs = [.. terms.OrderBy(term => term.From).Select(term => term.Epoch)];
        Assert.Equal(epochs.Order(), epochs);
        Assert.Equal(epochs.Distinct().Count(), epochs.Count);
        Assert.Equal(first.Epoch, epochs[0]);
    }

    [EtcdFact]
    public async Task Retrieval_listeners_see_every_leader_in_order()
    {
        await using Contenders cluster = new(etcd.Server);
        ChildProcess watcher = await cluster.StartAsync("watcher", "--retrieve-only");
        await cluster.StartAsync("a");
        await cluster.StartAsync("b");
        await cluster.StartAsync("c");

        long previous = 0;
        for (int round = 0; round < 3; round++)
        {
            NodeEvent grant = await cluster.WaitForGrantAsync(previous, Limit);
            ChildProcess leader = cluster.NodeNamed(grant.Node);
            await leader.WaitForLineAsync($"CONFIRMED {grant.Epoch} ", Limit);
            await watcher.WaitForLineAsync($"LEADER {grant.Epoch} ", Limit);
            previous = grant.Epoch;
            if (round < 2)
            {
                await leader.KillAsync();
            }
        }

        List<(long, string)> confirmed = [.. cluster.AllEvents.Where(e => e.Kind == "CONFIRMED").OrderBy(e => e.Epoch).Select(e => (e.Epoch, e.Fields[1]))];
        List<(long, string)> heard = [.. Contenders.Events(watcher).Where(e => e.Kind == "LEADER" && e.Fields[0] != "none").Select(e => (e.Epoch, e.Fields[1]))];
        Assert.Equal(3, confirmed.Count);
        Assert.Equal(confirmed, heard);
        foreach (ChildProcess contender in cluster.Nodes.Where(node => node != watcher && !node.HasExited))
        {
            Assert.Equal(confirmed, Contenders.Events(contender).Where(e => e.Kind == "LEADER" && e.Fields[0] != "none").Select(e => (e.Epoch, e.Fields[1])));
        }
    }

    private static long Issued(NodeEvent write) => long.Parse(write.Fields[4], System.Globalization.CultureInfo.InvariantCulture);

    private static async Task<T> WaitForAsync<T>(Func<Task<T>> read, Func<T, bool> done, string what)
    {
        using CancellationTokenSource limit = new(Limit);
        while (true)
        {
            T value = await read();
            if (done(value))
            {
                return value;
            }

            if (limit.IsCancellationRequested)
            {
                throw new TimeoutException($"No {what} within {Limit.TotalSeconds} s");
            }

            await Task.Delay(20);
        }
    }
}
