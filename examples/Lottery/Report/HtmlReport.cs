using System.Globalization;
using System.Net;
using System.Text;
using Lottery.Hosting;
using Lottery.Reconciliation;

namespace Lottery.Report;

/// <summary>The report as one self-contained HTML page: figures, charts (inline SVG) and the reconciliation.</summary>
public static class HtmlReport
{
    public static void Write(string path, SimulationResult result, PacingAnalysis pacing)
    {
        CultureInfo c = CultureInfo.InvariantCulture;
        Lottery.Load.LoadResult load = result.Load;
        int activityStartBucket = (int)(load.ActivityStartMs / 100);
        // The activity can start before the load generator began recording (a late start under load): those buckets
        // have no data and chart as 0.
        double[] Window(long[] series, double scale) =>
            [.. Enumerable.Range(activityStartBucket, result.Plan.SliceCount).Select(b => b >= 0 && b < series.Length ? series[b] * scale : 0)];
        StringBuilder html = new();
        html.Append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Lottery report</title><style>")
            .Append("body{font-family:sans-serif;margin:24px;max-width:1180px}table{border-collapse:collapse;margin:8px 0 20px}")
            .Append("td,th{border:1px solid #ccc;padding:4px 10px;text-align:right}td:first-child,th:first-child{text-align:left}")
            .Append(".ok{color:#080}.bad{color:#c00;font-weight:bold}h2{margin-top:28px}</style></head><body>");
        html.Append(c, $"<h1>Red-envelope lottery — {(result.Reconciliation.Passed ? "<span class=ok>every invariant holds</span>" : "<span class=bad>invariants broken</span>")}</h1>");
        html.Append(c, $"<p>{Encode(result.Backends)}; {result.Options.Nodes} lottery node(s); {load.Users:N0} simulated users; activity of {result.Plan.DurationMs / 1000} s in {result.Plan.SliceCount:N0} slices of 100 ms; machine: {Environment.ProcessorCount} cores, {Encode(Environment.OSVersion.ToString())}, .NET {Environment.Version}; {DateTime.Now:yyyy-MM-dd HH:mm:ss}.</p>");
        html.Append("<h2>Throughput and latency</h2><table><tr><th>over the activity's window</th><th>value</th></tr>");
        Row(html, "shakes/s", load.ShakesPerSecond.ToString("N0", c));
        Row(html, "draw requests/s answered end to end (client batching → access layer → nodes)", load.DrawsPerSecond.ToString("N0", c));
        Row(html, "draw requests in the median / best second of the activity", $"{load.MedianSecondDraws:N0} / {load.BestSecondDraws:N0}");
        Row(html, "latency p50 / p99 / p99.9 / max (ms, from when a user's submission fell due)", $"{load.P50Ms:0.0} / {load.P99Ms:0.0} / {load.P999Ms:0.0} / {load.MaxMs:0.0}");
        Row(html, "draws answered / shed with try-later / failed calls", $"{load.Draws:N0} / {load.Shed:N0} / {load.FailedCalls:N0}");
        Row(html, "journal records / fsyncs", $"{result.JournalRecords:N0} / {result.JournalCommits:N0}");
        html.Append("</table>");
        html.Append(SvgChart.Line("Draw requests answered per second (per 100 ms × 10)", "seconds into the activity", "draws/s", 0, 0.1,
            new SvgChart.Series("draws/s", "#1f77b4", Window(load.DrawsPer100Ms, 10)),
            new SvgChart.Series("shed/s", "#d62728", Window(load.ShedPer100Ms, 10))));
        html.Append(SvgChart.Line("Shakes per second (per 100 ms × 10)", "seconds into the activity", "shakes/s", 0, 0.1,
            new SvgChart.Series("shakes/s", "#2ca02c", Window(load.ShakesPer100Ms, 10))));
        int firstSecond = (int)(load.ActivityStartMs / 1000);
        int seconds = Math.Max(0, Math.Min(load.P50MsPerSecond.Length - firstSecond, result.Plan.DurationMs / 1000));
        double[] PerSecond(double[] series) =>
            [.. Enumerable.Range(firstSecond, seconds).Select(second => second >= 0 && second < series.Length ? series[second] : 0)];
        html.Append(SvgChart.Line("Latency per second", "seconds into the activity", "ms", 0, 1,
            new SvgChart.Series("p50", "#1f77b4", PerSecond(load.P50MsPerSecond)),
            new SvgChart.Series("p99", "#ff7f0e", PerSecond(load.P99MsPerSecond))));

        html.Append("<h2>Prizes against the paced quota, per 100 ms slice</h2><table><tr><th>pacing</th><th>value</th></tr>");
        Row(html, "issued / quota", $"{pacing.Issued:N0} / {pacing.Quota:N0} ({pacing.IssuedShare.ToString("P2", c)})");
        Row(html, "slices above their (paced) quota", pacing.SlicesOverQuota.ToString("N0", c));
        Row(html, "slices exactly at their paced quota", $"{pacing.SlicesAtQuota:N0} of {pacing.IssuedPerSlice.Length:N0}");
        Row(html, "mean |issued − paced quota| per slice / worst shortfall / most above the even share", $"{pacing.MeanAbsoluteError:0.00} / {pacing.WorstUnder:N0} / {pacing.MostAboveEvenShare:N0}");
        html.Append("</table>");
        html.Append(SvgChart.Line("Prizes issued per 100 ms slice (bars) against the paced quota and the even share (lines)", "seconds into the activity", "prizes per slice", 0, 0.1,
            new SvgChart.Series("issued", "#9ecae1", [.. pacing.IssuedPerSlice.Select(v => (double)v)], Bars: true),
            new SvgChart.Series("paced quota", "#08306b", [.. pacing.QuotaPerSlice.Select(v => (double)v)]),
            new SvgChart.Series("even share", "#e6550d", [.. pacing.EvenSharePerSlice.Select(v => (double)v)])));
        html.Append("<table><tr><th>prize</th><th>lane / partner</th><th>quota</th><th>issued</th><th>partner capacity/s</th><th>peak requests/s</th><th>refused over capacity</th></tr>");
        for (int p = 0; p < result.Plan.Prizes.Length; p++)
        {
            Contracts.PrizePlan prize = result.Plan.Prizes[p];
            int index = p;
            html.Append(c, $"<tr><td>{Encode(prize.Name)}</td><td>{prize.Kind} / {prize.Partner}</td><td>{prize.Quota:N0}</td><td>{result.Issued.Count(i => i.Id.Prize == index):N0}</td>" +
                $"<td>{result.Plan.Partner(prize.Partner).PerSecond:N0}</td><td>{result.PartnerPeakPerSecond.GetValueOrDefault(prize.Partner):N0}</td><td>{result.PartnerOverCapacity.GetValueOrDefault(prize.Partner):N0}</td></tr>");
        }

        html.Append("</table>");

        ReconciliationReport recon = result.Reconciliation;
        html.Append("<h2>Reconciliation</h2>");
        html.Append(c, $"<p>Issued {recon.Issued:N0}; in the ledger {recon.LedgerWins:N0} ({recon.RecoveredFromStore:N0} recovered from the store); delivered {recon.Delivered:N0} ({recon.Redriven:N0} re-driven in {recon.RedriveRounds} round(s)); partners credited {recon.PartnerCredited:N0} prizes on {recon.PartnerRequests:N0} requests ({result.InjectedPartnerFailures:N0} injected failures after crediting; {result.DeliveriesSkipped:N0} repeats absorbed by the delivery status).</p>");
        html.Append("<table><tr><th>check</th><th>found</th><th>must be</th><th></th></tr>");
        foreach (Check check in recon.Checks)
        {
            html.Append(c, $"<tr><td>{Encode(check.Name)}</td><td>{check.Actual:N0}</td><td>{(check.Name.Contains('≤') ? "≤ " : "")}{check.Expected:N0}</td><td class={(check.Passed ? "ok>ok" : "bad>BROKEN")}</td></tr>");
        }

        html.Append("</table><h2>Events</h2><pre>");
        foreach (string line in result.Events)
        {
            html.Append(Encode(line)).Append('\n');
        }

        html.Append("</pre></body></html>");
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        File.WriteAllText(path, html.ToString());
    }

    private static void Row(StringBuilder html, string name, string value) =>
        html.Append("<tr><td>").Append(Encode(name)).Append("</td><td>").Append(Encode(value)).Append("</td></tr>");

    private static string Encode(string text) => WebUtility.HtmlEncode(text);
}
