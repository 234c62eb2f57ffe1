using System.Globalization;
using Lottery.Hosting;
using Lottery.Reconciliation;
using Spectre.Console;

namespace Lottery.Report;

/// <summary>The final report in the terminal.</summary>
public static class TerminalReport
{
    public static void Print(SimulationResult result, PacingAnalysis pacing, string? htmlPath)
    {
        CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
        AnsiConsole.Write(new Rule("[bold]Lottery: the report[/]").LeftJustified());
        Table load = new Table().Border(TableBorder.Rounded).AddColumn("load, over the activity's window").AddColumn(new TableColumn("value").RightAligned());
        load.AddRow("users", $"{result.Load.Users:N0}");
        load.AddRow("shakes/s", $"{result.Load.ShakesPerSecond:N0}");
        load.AddRow("draw requests/s (answered, through the access layer)", $"{result.Load.DrawsPerSecond:N0}");
        load.AddRow("draw requests in the median / best second", $"{result.Load.MedianSecondDraws:N0} / {result.Load.BestSecondDraws:N0}");
        load.AddRow("latency p50 / p99 / p99.9 / max (ms)", $"{result.Load.P50Ms:0.0} / {result.Load.P99Ms:0.0} / {result.Load.P999Ms:0.0} / {result.Load.MaxMs:0.0}");
        load.AddRow("draws answered / shed (try later) / failed calls", $"{result.Load.Draws:N0} / {result.Load.Shed:N0} / {result.Load.FailedCalls:N0}");
        load.AddRow("wins seen by users / users at the win limit", $"{result.Load.Wins:N0} / {result.Load.UsersAtLimit:N0}");
        load.AddRow("journal records / fsyncs (group commit factor)", $"{result.JournalRecords:N0} / {result.JournalCommits:N0} ({(result.JournalCommits == 0 ? 0 : (double)result.JournalRecords / result.JournalCommits):N0})");
        load.AddRow("access layer: ring version / members at the end", $"v{result.Access.RingVersion} / {string.Join(", ", result.Access.Members)}");
        AnsiConsole.Write(load);

        Table quota = new Table().Border(TableBorder.Rounded).AddColumn("pacing, 100 ms slices").AddColumn(new TableColumn("value").RightAligned());
        quota.AddRow("issued / quota", $"{pacing.Issued:N0} / {pacing.Quota:N0} ({pacing.IssuedShare:P2})");
        quota.AddRow("slices above their (paced) quota", pacing.SlicesOverQuota.ToString("N0", CultureInfo.InvariantCulture));
        quota.AddRow("slices exactly at their paced quota", $"{pacing.SlicesAtQuota:N0} of {pacing.IssuedPerSlice.Length:N0}");
        quota.AddRow("mean |issued − paced quota| per slice / worst shortfall / most above the even share", $"{pacing.MeanAbsoluteError:0.00} / {pacing.WorstUnder:N0} / {pacing.MostAboveEvenShare:N0}");
        foreach ((string partner, long peak) in result.PartnerPeakPerSecond)
        {
            quota.AddRow($"partner {partner}: peak requests/s (capacity {result.Plan.Partner(partner).PerSecond:N0}), refused over capacity",
                $"{peak:N0}, {result.PartnerOverCapacity.GetValueOrDefault(partner):N0}");
        }

        AnsiConsole.Write(quota);

        ReconciliationReport recon = result.Reconciliation;
        Table checks = new Table().Border(TableBorder.Rounded).AddColumn("reconciliation").AddColumn(new TableColumn("found").RightAligned())
            .AddColumn(new TableColumn("must be").RightAligned()).AddColumn("");
        foreach (Check check in recon.Checks)
        {
            checks.AddRow(Markup.Escape(check.Name), check.Actual.ToString("N0", CultureInfo.InvariantCulture),
                (check.Name.Contains('≤') ? "≤ " : "") + check.Expected.ToString("N0", CultureInfo.InvariantCulture),
                check.Passed ? "[green]ok[/]" : "[red]BROKEN[/]");
        }

        AnsiConsole.Write(checks);
        AnsiConsole.MarkupLine($"issued {recon.Issued:N0}, in the ledger {recon.LedgerWins:N0} ({recon.RecoveredFromStore:N0} recovered from the store), delivered {recon.Delivered:N0} " +
            $"({recon.Redriven:N0} re-driven in {recon.RedriveRounds} round(s)); partners credited {recon.PartnerCredited:N0} of {recon.PartnerRequests:N0} requests " +
            $"({result.InjectedPartnerFailures:N0} injected failures after crediting, {result.DeliveriesSkipped:N0} repeats absorbed by the delivery status)");
        AnsiConsole.MarkupLine(recon.Passed ? "[bold green]every invariant holds[/]" : $"[bold red]{recon.Failures.Count()} invariant(s) broken[/]");
        if (htmlPath is not null)
        {
            AnsiConsole.MarkupLine($"HTML report: [link]{Markup.Escape(htmlPath)}[/]");
        }
    }
}
