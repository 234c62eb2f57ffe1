using Lottery.Hosting;
using Lottery.Load;
using Lottery.Report;

namespace Lottery.Tests.Components;

/// <summary>The in-process simulation end to end, short, with a node crashing and another joining mid-run.</summary>
public sealed class SimulationTests
{
    [Fact]
    public async Task A_short_simulation_with_a_crash_and_a_join_keeps_every_invariant()
    {
        string work = Directory.CreateTempSubdirectory("lottery-sim-").FullName;
        try
        {
            SimulationResult result = await Simulation.RunAsync(
                new SimulationOptions(ActivitySeconds: 8, Nodes: 3, Load: new LoadOptions(Users: 30_000, StaggerMs: 1_000), WorkDirectory: work,
                    LeaveAtSeconds: 3, JoinAtSeconds: 5, WarmUpMs: 1_500),
                _ => { });
            Assert.True(result.Reconciliation.Passed, string.Join("\n", result.Reconciliation.Failures));
            PacingAnalysis pacing = PacingAnalysis.From(result.Plan, result.Issued, result.SliceQuotas);
            Assert.Equal(0, pacing.SlicesOverQuota);
            Assert.True(pacing.Issued <= pacing.Quota);
            Assert.True(result.Load.Draws > 20_000);
            Assert.Contains(result.Events, line => line.Contains("node-3 left", StringComparison.Ordinal));
            Assert.Contains(result.Events, line => line.Contains("node-4 joined", StringComparison.Ordinal));

            string html = Path.Combine(work, "report.html");
            HtmlReport.Write(html, result, pacing);
            string page = await File.ReadAllTextAsync(html);
            Assert.Contains("<svg", page, StringComparison.Ordinal);
            Assert.Contains("every invariant holds", page, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }
}
