using System.Globalization;
using dotnet_etcd;
using Etcdserverpb;
using Toolkit.HighAvailability.Tests.Infrastructure;
using Toolkit.Testing.Processes;

namespace Toolkit.Benchmarks.Services;

/// <summary>
/// Failover on a private etcd: two contender processes; the leader is killed with SIGKILL, the time until the standby
/// is granted is measured (monotonic instants printed by the processes), a new standby is started, and so on.
/// </summary>
internal static class Failover
{
    public static async Task<int> RunAsync(int kills, int ttlSeconds, int renewDeadlineMs, int retryMs)
    {
        string node = HelperPaths.Dll(typeof(Failover).Assembly, "Toolkit.HighAvailability.TestNode");
        await using EtcdServer etcd = await EtcdServer.StartAsync();
        using EtcdClient client = new(etcd.Url);
        string root = "/bench/" + Guid.NewGuid().ToString("N")[..8];
        string prefix = $"{root}/election/resourcemanager/";
        List<ChildProcess> nodes = [];
        List<double> seconds = [];
        int started = 0;
        try
        {
            async Task<ChildProcess> StartNodeAsync()
            {
                ChildProcess contender = ChildProcess.Start($"n{++started}", node,
                    "--etcd", etcd.Url, "--root", root, "--component", "resourcemanager", "--name", $"n{started}",
                    "--ttl", ttlSeconds.ToString(CultureInfo.InvariantCulture),
                    "--renew-deadline", renewDeadlineMs.ToString(CultureInfo.InvariantCulture),
                    "--retry", retryMs.ToString(CultureInfo.InvariantCulture));
                nodes.Add(contender);
                await contender.WaitForLineAsync("READY", TimeSpan.FromMinutes(1));
                return contender;
            }

            await StartNodeAsync();
            await StartNodeAsync();
            long epoch = 0;
            long killedAt = 0;
            for (int kill = 0; kill <= kills; kill++)
            {
                (ChildProcess leader, long granted, long grantedAt) = await WaitForGrantAsync(nodes, epoch);
                if (kill > 0)
                {
                    double failover = MonotonicClock.Between(killedAt, grantedAt).TotalSeconds;
                    seconds.Add(failover);
                    Console.WriteLine(FormattableString.Invariant($"kill {kill}: term {epoch} -> {granted}, standby granted {failover:0.000} s after the SIGKILL"));
                }

                epoch = granted;
                if (kill == kills)
                {
                    break;
                }

                // A standby must be campaigning before the leader dies: both keys exist.
                if (nodes.Count(n => !n.HasExited) < 2)
                {
                    await StartNodeAsync();
                }

                await WaitForKeysAsync(client, prefix, 2);
                await Task.Delay(Random.Shared.Next(retryMs));
                killedAt = MonotonicClock.Now;
                await leader.KillAsync();
            }
        }
        finally
        {
            foreach (ChildProcess contender in nodes)
            {
                await contender.DisposeAsync();
            }
        }

        Console.WriteLine(FormattableString.Invariant($"RESULT failover ttl={ttlSeconds}s renew-deadline={renewDeadlineMs}ms retry={retryMs}ms: ") + Machine.Summary(seconds, "s"));
        return 0;
    }

    private static async Task<(ChildProcess Node, long Epoch, long At)> WaitForGrantAsync(List<ChildProcess> nodes, long above)
    {
        using CancellationTokenSource limit = new(TimeSpan.FromSeconds(60));
        while (!limit.IsCancellationRequested)
        {
            foreach (ChildProcess node in nodes)
            {
                foreach ((long At, string Text) line in node.Lines)
                {
                    string[] parts = line.Text.Split(' ');
                    if (parts[0] == "GRANT" && long.Parse(parts[1], CultureInfo.InvariantCulture) > above)
                    {
                        return (node, long.Parse(parts[1], CultureInfo.InvariantCulture), long.Parse(parts[2], CultureInfo.InvariantCulture));
                    }
                }
            }

            await Task.Delay(5);
        }

        throw new TimeoutException($"no grant above term {above} within 60 s");
    }

    private static async Task WaitForKeysAsync(EtcdClient client, string prefix, int count)
    {
        using CancellationTokenSource limit = new(TimeSpan.FromSeconds(60));
        while (true)
        {
            RangeResponse keys = await client.GetAsync(new RangeRequest { Key = Google.Protobuf.ByteString.CopyFromUtf8(prefix), RangeEnd = Google.Protobuf.ByteString.CopyFromUtf8(prefix[..^1] + "0"), CountOnly = true });
            if (keys.Count >= count)
            {
                return;
            }

            limit.Token.ThrowIfCancellationRequested();
            await Task.Delay(20);
        }
    }
}
