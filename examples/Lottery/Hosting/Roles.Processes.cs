using System.Runtime.InteropServices;
using Lottery.Access;
using Lottery.Contracts;
using Lottery.Load;
using Lottery.Nodes;
using Lottery.Reconciliation;
using Lottery.Report;
using Toolkit.Rpc;

namespace Lottery.Hosting;

/// <summary>The roles that run one part of the lottery each, as separate processes on Redis and PostgreSQL.</summary>
public static partial class Roles
{
    public static async Task<int> AccessAsync(CommandLine command)
    {
        await using RpcService service = await RpcService.StartAsync(new RpcServiceOptions { Listen = command.Get("listen") ?? "127.0.0.1:0", NodeId = "access" });
        await service.StartEndpointAsync(new AccessLayer(new AccessOptions(HeartbeatOptions.Default, Log: Console.WriteLine)), "access");
        Console.WriteLine($"LISTENING {service.Address}");
        await WaitForShutdownAsync();
        return 0;
    }

    public static async Task<int> DeliveryAsync(CommandLine command)
    {
        ActivityPlan plan = Plan(command);
        await using Backends backends = await Backends.ConnectAsync(command.Get("redis"), command.Get("postgres"), TimeProvider.System);
        await using DeliveryHost delivery = await DeliveryHost.StartAsync(plan, backends, command.Double("partner-failures", 0.01),
            command.Get("consumer") ?? $"delivery-{Environment.ProcessId}", command.Get("listen") ?? "127.0.0.1:0");
        Console.WriteLine($"LISTENING {delivery.Service.Address}");
        await WaitForShutdownAsync();
        return 0;
    }

    public static async Task<int> NodeAsync(CommandLine command)
    {
        ActivityPlan plan = Plan(command);
        await using Backends backends = await Backends.ConnectAsync(command.Get("redis"), command.Get("postgres"), TimeProvider.System);
        NodeHost node = await NodeHost.StartAsync(new NodeOptions(command.Require("id")), plan, backends, command.Require("journal"),
            command.Require("access"), command.Require("cashdesk"), command.Get("listen") ?? "127.0.0.1:0", log: Console.WriteLine);
        await using (node)
        {
            Console.WriteLine($"LISTENING {node.Service.Address} REPLAYED {node.Replayed}");
            await WaitForShutdownAsync();
        }

        Console.WriteLine($"STOPPED {node.Node.NodeId}: journal shipped");
        return 0;
    }

    public static async Task<int> RecoverAsync(CommandLine command)
    {
        await using Backends backends = await Backends.ConnectAsync(command.Get("redis"), command.Get("postgres"), TimeProvider.System);
        long shipped = await NodeHost.RecoverAsync(command.Require("id"), command.Require("journal"), backends.Ledger);
        Console.WriteLine($"RECOVERED {command.Require("id")}: journal shipped to {shipped} bytes");
        return 0;
    }

    public static async Task<int> LoadGenAsync(CommandLine command)
    {
        ActivityPlan plan = Plan(command);
        await using RpcService client = await RpcService.StartAsync(new RpcServiceOptions { NodeId = $"loadgen-{Environment.ProcessId}" });
        IAccessGateway access = await client.ConnectAsync<IAccessGateway>(command.Require("access"));
        LoadGenerator generator = new(new LoadOptions(Users: command.Int("users", 100_000)), plan, access, TimeProvider.System);
        LiveProgress live = new();
        LoadResult load = await live.RunAsync(() => generator.RunAsync(TimeSpan.FromMilliseconds(500), live.Report));
        Console.WriteLine($"LOAD draws={load.Draws} draws/s={load.DrawsPerSecond:0} shakes/s={load.ShakesPerSecond:0} p50={load.P50Ms:0.0}ms p99={load.P99Ms:0.0}ms wins={load.Wins} shed={load.Shed} failed={load.FailedCalls}");
        return 0;
    }

    public static async Task<int> ReconcileAsync(CommandLine command)
    {
        ActivityPlan plan = Plan(command);
        await using Backends backends = await Backends.ConnectAsync(command.Get("redis"), command.Get("postgres"), TimeProvider.System);
        // Re-driving needs a cash desk and couriers: this process brings its own, on the same store, queue and books.
        await using DeliveryHost delivery = await DeliveryHost.StartAsync(plan, backends, 0, $"reconcile-{Environment.ProcessId}");
        string directory = command.Require("journal");
        Dictionary<string, string> journals = Directory.GetFiles(directory, "*.journal").ToDictionary(path => Path.GetFileNameWithoutExtension(path), path => path);
        Reconciler reconciler = new(plan, backends.Store, backends.Ledger, backends.Book, delivery.Service.GetGateway<ICashDeskGateway>("cashdesk"), backends.Queue, TimeProvider.System);
        ReconciliationReport report = await reconciler.RunAsync(journals, TimeSpan.FromSeconds(command.Int("settle", 60)));
        foreach (Check check in report.Checks)
        {
            Console.WriteLine($"{(check.Passed ? "ok    " : "BROKEN")} {check.Name}: {check.Actual} (must be {(check.Name.Contains('≤') ? "≤ " : "")}{check.Expected})");
        }

        PacingAnalysis pacing = PacingAnalysis.From(plan, await backends.Store.ReadIssuedAsync(plan), await backends.Store.ReadSliceQuotasAsync(plan));
        Console.WriteLine($"RECONCILED passed={report.Passed} issued={report.Issued} quota={report.Quota} ledger={report.LedgerWins} recovered={report.RecoveredFromStore} " +
            $"delivered={report.Delivered} redriven={report.Redriven} credited={report.PartnerCredited} requests={report.PartnerRequests} slicesOverQuota={pacing.SlicesOverQuota}");
        return report.Passed ? 0 : 1;
    }

    private static ActivityPlan Plan(CommandLine command) =>
        ActivityPlan.Default(command.Long("start", 0) is > 0 and var start ? start : throw new ArgumentException($"The {command.Role} role needs --start UNIXMS."),
            command.Int("seconds", 60) * 1000);

    /// <summary>Until SIGTERM, SIGINT, or the end of standard input when a parent process holds it.</summary>
    private static async Task WaitForShutdownAsync()
    {
        TaskCompletionSource stop = new(TaskCreationOptions.RunContinuationsAsynchronously);
        void Stop(PosixSignalContext context)
        {
            context.Cancel = true;
            stop.TrySetResult();
        }

        using PosixSignalRegistration term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
        using PosixSignalRegistration interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
        if (Console.IsInputRedirected)
        {
            _ = Task.Run(async () =>
            {
                while (await Console.In.ReadLineAsync() is not null)
                {
                }

                stop.TrySetResult();
            });
        }

        await stop.Task;
    }
}
