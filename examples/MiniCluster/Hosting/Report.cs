using System.Globalization;
using Spectre.Console;

namespace MiniCluster.Hosting;

/// <summary>The final report: the result, the check, and the two wall times (the cluster's with its upload).</summary>
public static class Report
{
    public static void Print(JobRunner.Outcome outcome)
    {
        Console.WriteLine(JobRunner.Verdict(outcome));
        if (!LiveView.IsInteractive)
        {
            return;
        }

        Table table = new Table().Border(TableBorder.Rounded).Title(outcome.Mismatch is null ? "[green bold]result checked: equal[/]" : "[red bold]result differs[/]")
            .AddColumn("").AddColumn(new TableColumn("cluster").RightAligned()).AddColumn(new TableColumn("one thread").RightAligned());
        CultureInfo c = CultureInfo.InvariantCulture;
        table.AddRow("words", (outcome.Final.Result?.TotalWords ?? 0).ToString("N0", c), outcome.Expected.TotalWords.ToString("N0", c));
        table.AddRow("distinct words", (outcome.Final.Result?.DistinctWords ?? 0).ToString("N0", c), outcome.Expected.DistinctWords.ToString("N0", c));
        table.AddRow("checksum", (outcome.Final.Result?.Checksum ?? 0).ToString("x16", c), outcome.Expected.Checksum.ToString("x16", c));
        table.AddRow("wall time", outcome.Run.Seconds.ToString("F2 's'", c), outcome.Expected.Seconds.ToString("F2 's'", c));
        table.AddRow("of which uploading the input", outcome.Run.UploadSeconds.ToString("F2 's'", c), "");
        table.AddRow("tasks deployed again", outcome.Final.Redeployed.ToString(c), "");
        if (outcome.Final.Result is { } result)
        {
            table.AddRow("most frequent", string.Join(", ", result.Counts.OrderByDescending(entry => entry.Count).Take(5).Select(entry => $"{entry.Word} {entry.Count:N0}")), "");
        }

        if (outcome.Mismatch is not null)
        {
            table.AddRow("[red]difference[/]", Markup.Escape(outcome.Mismatch), "");
        }

        AnsiConsole.Write(table);
    }
}
