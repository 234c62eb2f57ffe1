using Lottery.Load;
using Lottery.Report;

namespace Lottery.Hosting;

/// <summary>What each role of the command line does.</summary>
public static partial class Roles
{
    public static int Usage(string problem)
    {
        Console.Error.WriteLine($"lottery: {problem}");
        Console.Error.WriteLine("""
            usage: dotnet run --project examples/Lottery [-- ROLE OPTIONS]
              (no role) | simulate   the whole lottery in one process for a minute: --seconds 60 --nodes 3 --users 480000
                                     --redis host:port --postgres "Host=…" --html FILE --work DIR --keep-journals
                                     --leave-at S --join-at S --warm-up-ms 4000 --batch 2048 --in-flight 24 --partner-failures 0.01
              access    --listen host:port
              node      --id ID --listen host:port --access rpc://… --cashdesk rpc://… --journal DIR --start UNIXMS --seconds S --redis … --postgres …
              recover   --id ID --journal DIR --postgres …           (replay a node's journal, ship it, exit)
              delivery  --listen host:port --start UNIXMS --seconds S --redis … --postgres …
              loadgen   --access rpc://… --start UNIXMS --seconds S --users N
              reconcile --start UNIXMS --seconds S --redis … --postgres … --journal DIR --cashdesk rpc://…
            """);
        return 2;
    }

    public static async Task<int> SimulateAsync(CommandLine command)
    {
        LoadOptions load = new(Users: command.Int("users", 480_000), BatchSize: command.Int("batch", 2_048), MaxInFlightBatches: command.Int("in-flight", 24));
        SimulationOptions options = new(
            ActivitySeconds: command.Int("seconds", 60),
            Nodes: command.Int("nodes", 3),
            Load: load,
            Redis: command.Get("redis"),
            Postgres: command.Get("postgres"),
            WorkDirectory: command.Get("work"),
            PartnerFailureRate: command.Double("partner-failures", 0.01),
            LeaveAtSeconds: command.OptionalInt("leave-at"),
            JoinAtSeconds: command.OptionalInt("join-at"),
            WarmUpMs: command.Int("warm-up-ms", 4_000),
            KeepJournals: command.Flag("keep-journals"));
        LiveProgress live = new();
        SimulationResult result = await live.RunAsync(() => Simulation.RunAsync(options, live.Event, live.Report));
        PacingAnalysis pacing = PacingAnalysis.From(result.Plan, result.Issued, result.SliceQuotas);
        string html = Path.GetFullPath(command.Get("html") ?? Path.Combine(result.WorkDirectory, "report.html"));
        HtmlReport.Write(html, result, pacing);
        TerminalReport.Print(result, pacing, html);
        return result.Reconciliation.Passed ? 0 : 1;
    }
}
