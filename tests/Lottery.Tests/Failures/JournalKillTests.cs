using Lottery.Access;
using Lottery.Contracts;
using Lottery.Journal;
using Lottery.Tests.Fixtures;
using Toolkit.Rpc;

namespace Lottery.Tests.Failures;

/// <summary>
/// After a <c>kill -9</c> of a node, journal replay loses nothing acknowledged: a node runs as its own process, draws
/// flow to it through a real access layer, the process is SIGKILLed mid-flight, and every draw whose reply reached the
/// client is in the journal with the same result — and the restarted node replays it.
/// </summary>
public sealed class JournalKillTests : IAsyncLifetime
{
    private readonly string _directory = Directory.CreateTempSubdirectory("lottery-kill-").FullName;
    private RpcService? _access;
    private RpcService? _client;

    public async Task InitializeAsync()
    {
        _access = await RpcService.StartAsync(new RpcServiceOptions { Listen = "127.0.0.1:0", NodeId = "access" });
        await _access.StartEndpointAsync(new AccessLayer(new AccessOptions(HeartbeatOptions.Default)), "access");
        _client = await RpcService.StartAsync();
    }

    [Fact]
    public async Task Every_acknowledged_draw_survives_kill_9_and_is_replayed()
    {
        long start = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        string access = $"rpc://{_access!.Address}/access";
        // The node's cash desk is nowhere: a one-way tell to it fails without touching the draws.
        string[] arguments = ["node", "--id", "node-k", "--journal", _directory, "--access", access, "--cashdesk", "rpc://127.0.0.1:1/cashdesk",
            "--start", start.ToString(System.Globalization.CultureInfo.InvariantCulture), "--seconds", "120"];
        ChildProcess node = LotteryRoles.Start("node", arguments);
        IAccessGateway gateway = await _client!.ConnectAsync<IAccessGateway>(access);
        Dictionary<long, (DrawOutcome Outcome, byte Prize, long Sequence)> acknowledged = [];
        await using (node)
        {
            await node.WaitForLineAsync("LISTENING", TimeSpan.FromSeconds(30));
            await WaitForMembersAsync(gateway, 1);

            long nextRequest = 0;
            bool killed = false;
            using CancellationTokenSource stop = new(TimeSpan.FromSeconds(90));
            async Task ClientAsync(int client)
            {
                while (!Volatile.Read(ref killed) && !stop.IsCancellationRequested)
                {
                    long[] ids = [.. Enumerable.Range(0, 500).Select(_ => Interlocked.Increment(ref nextRequest))];
                    DrawBatch batch = new(1, ids, [.. ids.Select(id => 20_000_000 + (id % 50_000))], [.. ids.Select(_ => 8)]);
                    DrawReplies replies = await gateway.DrawAsync(batch, TimeSpan.FromSeconds(5));
                    lock (acknowledged)
                    {
                        for (int i = 0; i < ids.Length; i++)
                        {
                            if ((DrawOutcome)replies.Outcomes[i] is DrawOutcome.Lose or DrawOutcome.Win or DrawOutcome.LimitReached)
                            {
                                acknowledged[ids[i]] = ((DrawOutcome)replies.Outcomes[i], replies.Prizes[i], replies.Sequences[i]);
                            }
                        }
                    }
                }
            }

            Task[] clients = [.. Enumerable.Range(0, 4).Select(ClientAsync)];
            while (true)
            {
                lock (acknowledged)
                {
                    if (acknowledged.Count >= 20_000)
                    {
                        break;
                    }
                }

                await Task.Delay(10, stop.Token);
            }

            // SIGKILL with draws in flight: their replies never come (the access layer answers "try later").
            await node.KillAsync();
            Volatile.Write(ref killed, true);
            await Task.WhenAll(clients);
        }

        Dictionary<long, JournalRecord> journaled = [];
        DrawJournal.Scan(Path.Combine(_directory, "node-k.journal"), 0, long.MaxValue, (_, records) =>
        {
            foreach (JournalRecord record in records)
            {
                journaled[record.RequestId] = record;
            }
        });
        Assert.True(acknowledged.Count >= 20_000);
        Assert.Contains(acknowledged.Values, draw => draw.Outcome == DrawOutcome.Win);
        foreach ((long id, (DrawOutcome outcome, byte prize, long sequence)) in acknowledged)
        {
            Assert.True(journaled.TryGetValue(id, out JournalRecord record), $"acknowledged draw {id} is not in the journal");
            Assert.Equal((outcome, prize, sequence), (record.Outcome, record.Prize, record.Sequence));
        }

        // The node comes back on the same journal and replays it.
        ChildProcess restarted = LotteryRoles.Start("node again", arguments);
        await using (restarted)
        {
            string listening = await restarted.WaitForLineAsync("LISTENING", TimeSpan.FromSeconds(30));
            long replayed = long.Parse(listening.Split(' ')[^1], System.Globalization.CultureInfo.InvariantCulture);
            Assert.Equal(journaled.Count, replayed);
            Assert.Equal(0, await restarted.StopAsync(TimeSpan.FromSeconds(30)));
        }
    }

    public async Task DisposeAsync()
    {
        if (_client is not null)
        {
            await _client.DisposeAsync();
        }

        if (_access is not null)
        {
            await _access.DisposeAsync();
        }

        Directory.Delete(_directory, recursive: true);
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
