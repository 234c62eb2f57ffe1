using System.Globalization;
using Lottery.Contracts;
using Lottery.Load;
using Lottery.Tests.Fixtures;
using Toolkit.Rpc;
using Xunit.Abstractions;

namespace Lottery.Tests.Failures;

/// <summary>
/// The whole lottery as separate processes on a private Redis and PostgreSQL — an access layer, three nodes, a
/// delivery service — with simulated users drawing through the access layer; one node is SIGKILLed mid-run. The access
/// layer must drop it from the ring and go on; at the end the killed node comes back to ship its journal, and
/// reconciliation must find issued ≤ quota, delivered = issued and no duplicate anywhere.
/// </summary>
public sealed class NodeKilledMidRunTests(RedisServer redis, PostgresServer postgres, ITestOutputHelper output)
    : IClassFixture<RedisServer>, IClassFixture<PostgresServer>
{
    [SkippableFact]
    public async Task A_node_killed_mid_run_loses_nothing_issued_and_nothing_is_paid_twice()
    {
        Skip.If(redis.Unavailable is not null, redis.Unavailable);
        Skip.If(postgres.Unavailable is not null, postgres.Unavailable);
        string journals = Directory.CreateTempSubdirectory("lottery-midrun-").FullName;
        long start = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() + 10_000; // time for six processes to start on a busy machine
        const int seconds = 14;
        string[] plan = ["--start", start.ToString(CultureInfo.InvariantCulture), "--seconds", seconds.ToString(CultureInfo.InvariantCulture)];
        string[] backends = ["--redis", redis.Endpoint, "--postgres", postgres.ConnectionString];
        List<ChildProcess> processes = [];
        try
        {
            ChildProcess accessProcess = Track(LotteryRoles.Start("access", "access", "--listen", "127.0.0.1:0"));
            string access = $"rpc://{(await accessProcess.WaitForLineAsync("LISTENING", TimeSpan.FromSeconds(30)))["LISTENING ".Length..]}/access";
            ChildProcess delivery = Track(LotteryRoles.Start("delivery", ["delivery", "--consumer", "delivery-1", .. plan, .. backends]));
            string cashDesk = $"rpc://{(await delivery.WaitForLineAsync("LISTENING", TimeSpan.FromSeconds(30)))["LISTENING ".Length..]}/cashdesk";
            ChildProcess[] nodes = [.. Enumerable.Range(1, 3).Select(n => Track(LotteryRoles.Start($"node-{n}",
                ["node", "--id", $"node-{n}", "--journal", journals, "--access", access, "--cashdesk", cashDesk, .. plan, .. backends])))];
            foreach (ChildProcess node in nodes)
            {
                await node.WaitForLineAsync("LISTENING", TimeSpan.FromSeconds(30));
            }

            await using RpcService client = await RpcService.StartAsync();
            IAccessGateway gateway = await client.ConnectAsync<IAccessGateway>(access);
            await WaitForMembersAsync(gateway, 3);
            ActivityPlan activity = ActivityPlan.Default(start, seconds * 1000);
            LoadGenerator generator = new(new LoadOptions(Users: 40_000, StaggerMs: 2_000, BatchSize: 1_024), activity, gateway, TimeProvider.System);
            Task<LoadResult> load = generator.RunAsync(TimeSpan.FromMilliseconds(300));

            // Mid-run: node-2 dies without a goodbye.
            await Task.Delay(TimeSpan.FromMilliseconds(Math.Max(0, start + 5_000 - DateTimeOffset.UtcNow.ToUnixTimeMilliseconds())));
            await nodes[1].KillAsync();
            output.WriteLine($"node-2 killed at {(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() - start) / 1000.0:0.0} s into the activity");
            using (CancellationTokenSource deadline = new(TimeSpan.FromSeconds(10)))
            {
                while ((await gateway.StatusAsync()).Members.Contains("node-2"))
                {
                    await Task.Delay(20, deadline.Token);
                }
            }

            LoadResult result = await load;
            output.WriteLine($"load: {result.Draws:N0} draws, {result.Wins:N0} wins, {result.Shed:N0} shed, {result.DrawsPerSecond:N0} draws/s");
            Assert.True(result.Draws > 50_000, $"only {result.Draws} draws were answered");

            // The survivors stop gracefully (shipping their journals); the killed node comes back only to ship its own.
            Assert.Equal(0, await nodes[0].StopAsync(TimeSpan.FromSeconds(30)));
            Assert.Equal(0, await nodes[2].StopAsync(TimeSpan.FromSeconds(30)));
            ChildProcess recover = Track(LotteryRoles.Start("recover node-2", ["recover", "--id", "node-2", "--journal", journals, .. backends]));
            Assert.Equal(0, await recover.WaitForExitAsync(TimeSpan.FromSeconds(60)));
            output.WriteLine(recover.Output);

            ChildProcess reconcile = Track(LotteryRoles.Start("reconcile", ["reconcile", "--journal", journals, "--settle", "90", .. plan, .. backends]));
            int code = await reconcile.WaitForExitAsync(TimeSpan.FromSeconds(150));
            output.WriteLine(reconcile.Output);
            Assert.True(code == 0, $"reconciliation failed:\n{reconcile.Output}");
            string summary = await reconcile.WaitForLineAsync("RECONCILED", TimeSpan.FromSeconds(1));
            Dictionary<string, long> figures = summary.Split(' ').Skip(1).Select(part => part.Split('='))
                .Where(pair => pair[0] != "passed").ToDictionary(pair => pair[0], pair => long.Parse(pair[1], CultureInfo.InvariantCulture));
            Assert.True(figures["issued"] > 0);
            Assert.True(figures["issued"] <= figures["quota"], $"issued {figures["issued"]} over the quota {figures["quota"]}");
            Assert.Equal(figures["issued"], figures["delivered"]);
            Assert.Equal(figures["issued"], figures["ledger"]);
            Assert.Equal(figures["issued"], figures["credited"]);
            Assert.Equal(0, figures["slicesOverQuota"]);
            Assert.Contains("ok     prize ids issued twice: 0", reconcile.Output, StringComparison.Ordinal);
            Assert.Contains("ok     prize ids journaled twice: 0", reconcile.Output, StringComparison.Ordinal);
            Assert.Contains("ok     credits for prizes never issued: 0", reconcile.Output, StringComparison.Ordinal);
            Assert.Contains("ok     journal node-2: wins in the ledger", reconcile.Output, StringComparison.Ordinal);
            Assert.Equal(0, await delivery.StopAsync(TimeSpan.FromSeconds(30)));
        }
        finally
        {
            foreach (ChildProcess process in processes)
            {
                await process.DisposeAsync();
            }

            Directory.Delete(journals, recursive: true);
        }

        ChildProcess Track(ChildProcess process)
        {
            processes.Add(process);
            return process;
        }
    }

    private static async Task WaitForMembersAsync(IAccessGateway access, int members)
    {
        using CancellationTokenSource deadline = new(TimeSpan.FromSeconds(20));
        while ((await access.StatusAsync()).Members.Length < members)
        {
            await Task.Delay(20, deadline.Token);
        }
    }
}
