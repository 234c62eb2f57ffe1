using Lottery.Access;
using Lottery.Contracts;
using Lottery.Load;
using Lottery.Nodes;
using Lottery.Reconciliation;
using Lottery.Store;
using Toolkit.Rpc;

namespace Lottery.Hosting;

/// <param name="ActivitySeconds">How long the activity runs; the load generator starts 2 s before it.</param>
/// <param name="LeaveAtSeconds">If set, a node crashes this far into the activity (its journal stays on disk).</param>
/// <param name="JoinAtSeconds">If set, a new node joins this far into the activity.</param>
public sealed record SimulationOptions(
    int ActivitySeconds = 60,
    int Nodes = 3,
    LoadOptions? Load = null,
    string? Redis = null,
    string? Postgres = null,
    string? WorkDirectory = null,
    double PartnerFailureRate = 0.01,
    int? LeaveAtSeconds = null,
    int? JoinAtSeconds = null,
    int WarmUpMs = 2_000,
    bool KeepJournals = false);

public sealed record SimulationResult(
    ActivityPlan Plan,
    SimulationOptions Options,
    string Backends,
    string WorkDirectory,
    LoadResult Load,
    ReconciliationReport Reconciliation,
    IReadOnlyList<IssuedPrize> Issued,
    long[][] SliceQuotas,
    AccessStatus Access,
    IReadOnlyList<string> Events,
    long JournalRecords,
    long JournalCommits,
    IReadOnlyDictionary<string, long> PartnerPeakPerSecond,
    IReadOnlyDictionary<string, long> PartnerOverCapacity,
    long InjectedPartnerFailures,
    long DeliveriesSkipped);

/// <summary>
/// The whole lottery in one process, every part in its own Toolkit service talking over loopback TCP: the access
/// layer, the lottery nodes, delivery, and the load generator as a client-mode service.
/// </summary>
public static class Simulation
{
    public static async Task<SimulationResult> RunAsync(SimulationOptions options, Action<string> log, Action<LoadProgress>? progress = null)
    {
        string work = options.WorkDirectory ?? Path.Combine(Path.GetTempPath(), $"lottery-{DateTime.UtcNow:yyyyMMdd-HHmmss}-{Environment.ProcessId}");
        Directory.CreateDirectory(work);
        List<string> events = [];
        void Event(string line)
        {
            lock (events)
            {
                events.Add($"{DateTime.Now:HH:mm:ss.fff} {line}");
            }

            log(line);
        }

        long start = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() + options.WarmUpMs;
        ActivityPlan plan = ActivityPlan.Default(start, options.ActivitySeconds * 1000);
        await using Backends backends = await Backends.ConnectAsync(options.Redis, options.Postgres, TimeProvider.System).ConfigureAwait(false);
        Event($"backends: {backends.Description}; journals in {work}");

        await using RpcService accessService = await RpcService.StartAsync(new RpcServiceOptions { Listen = "127.0.0.1:0", NodeId = "access" }).ConfigureAwait(false);
        AccessLayer access = await accessService.StartEndpointAsync(new AccessLayer(new AccessOptions(HeartbeatOptions.Default, Log: Event)), "access").ConfigureAwait(false);
        string accessAddress = $"rpc://{accessService.Address}/access";
        await using DeliveryHost delivery = await DeliveryHost.StartAsync(plan, backends, options.PartnerFailureRate, "sim").ConfigureAwait(false);

        List<NodeHost> nodes = [];
        try
        {
            for (int n = 1; n <= options.Nodes; n++)
            {
                nodes.Add(await NodeHost.StartAsync(new NodeOptions($"node-{n}"), plan, backends, work, accessAddress, delivery.CashDeskAddress, log: Event).ConfigureAwait(false));
            }

            await using RpcService client = await RpcService.StartAsync(new RpcServiceOptions { NodeId = "loadgen" }).ConfigureAwait(false);
            IAccessGateway accessGateway = await client.ConnectAsync<IAccessGateway>(accessAddress).ConfigureAwait(false);
            await WaitForMembersAsync(accessGateway, options.Nodes, TimeSpan.FromSeconds(10)).ConfigureAwait(false);

            LoadGenerator generator = new(options.Load ?? new LoadOptions(), plan, accessGateway, TimeProvider.System);
            using CancellationTokenSource scenario = new();
            Task changes = RunMembershipChangesAsync(options, plan, nodes, backends, work, accessAddress, delivery.CashDeskAddress, Event, scenario.Token);
            LoadResult load = await generator.RunAsync(TimeSpan.FromMilliseconds(500), progress).ConfigureAwait(false);
            await scenario.CancelAsync().ConfigureAwait(false);
            await changes.ConfigureAwait(false);
            AccessStatus status = await accessGateway.StatusAsync().ConfigureAwait(false);

            // Stop the nodes (the last acknowledged draws are fsynced; the rest of each journal is shipped).
            foreach (NodeHost node in nodes)
            {
                if (node.IsCrashed)
                {
                    long shipped = await NodeHost.RecoverAsync(node.Node.NodeId, work, backends.Ledger).ConfigureAwait(false);
                    Event($"{node.Node.NodeId} recovered: its journal replayed and shipped to {shipped:N0} bytes");
                }

                await node.DisposeAsync().ConfigureAwait(false);
            }

            Event("load finished; nodes stopped and their journals shipped; waiting for deliveries");
            await DeliveryHost.DrainAsync(plan, backends, TimeSpan.FromSeconds(30)).ConfigureAwait(false);
            Reconciler reconciler = new(plan, backends.Store, backends.Ledger, backends.Book,
                delivery.Service.GetGateway<ICashDeskGateway>("cashdesk"), backends.Queue, TimeProvider.System);
            Dictionary<string, string> journals = nodes.ToDictionary(n => n.Node.NodeId, n => n.JournalPath);
            ReconciliationReport report = await reconciler.RunAsync(journals, TimeSpan.FromSeconds(60)).ConfigureAwait(false);
            Event($"reconciliation: {(report.Passed ? "every invariant holds" : $"{report.Failures.Count()} invariant(s) broken")}");
            if (!options.KeepJournals)
            {
                // A minute of draws journals about 450 MB: reconciled, it goes (--keep-journals keeps it).
                foreach (string journal in journals.Values.Where(File.Exists))
                {
                    File.Delete(journal);
                }
            }

            return new SimulationResult(plan, options, backends.Description, work, load, report, await backends.Store.ReadIssuedAsync(plan).ConfigureAwait(false),
                await backends.Store.ReadSliceQuotasAsync(plan).ConfigureAwait(false), status, events, nodes.Sum(n => n.Journal.Records), nodes.Sum(n => n.Journal.Commits),
                delivery.Partner.PeakPerSecond, delivery.Partner.OverCapacity, delivery.Partner.InjectedFailures, delivery.Deliverer.Skipped);
        }
        finally
        {
            foreach (NodeHost node in nodes)
            {
                await node.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    private static async Task RunMembershipChangesAsync(SimulationOptions options, ActivityPlan plan, List<NodeHost> nodes, Backends backends, string work,
        string accessAddress, string cashDeskAddress, Action<string> log, CancellationToken cancellation)
    {
        try
        {
            List<(int At, Func<Task> Change)> changes = [];
            if (options.LeaveAtSeconds is { } leave && nodes.Count > 1)
            {
                changes.Add((leave, async () =>
                {
                    NodeHost victim = nodes[^1];
                    log($"{victim.Node.NodeId} crashes (its connections cut, its journal left on disk)");
                    await victim.CrashAsync().ConfigureAwait(false);
                }
                ));
            }

            if (options.JoinAtSeconds is { } join)
            {
                changes.Add((join, async () =>
                {
                    string id = $"node-{nodes.Count + 1}";
                    log($"{id} starts and joins");
                    nodes.Add(await NodeHost.StartAsync(new NodeOptions(id), plan, backends, work, accessAddress, cashDeskAddress, log: log).ConfigureAwait(false));
                }
                ));
            }

            foreach ((int at, Func<Task> change) in changes.OrderBy(c => c.At))
            {
                long wait = plan.StartUnixMs + (at * 1000L) - DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
                if (wait > 0)
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(wait), cancellation).ConfigureAwait(false);
                }

                await change().ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private static async Task WaitForMembersAsync(IAccessGateway access, int members, TimeSpan timeout)
    {
        using CancellationTokenSource deadline = new(timeout);
        while ((await access.StatusAsync().ConfigureAwait(false)).Members.Length < members)
        {
            await Task.Delay(20, deadline.Token).ConfigureAwait(false);
        }
    }
}
