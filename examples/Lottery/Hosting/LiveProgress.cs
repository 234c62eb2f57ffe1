using System.Globalization;
using Lottery.Load;
using Spectre.Console;

namespace Lottery.Hosting;

/// <summary>Live progress: a Spectre.Console table redrawn in place on a terminal, a plain line every 5 s otherwise.</summary>
public sealed class LiveProgress
{
    private readonly List<string> _events = [];
    private readonly Lock _lock = new();
    private LoadProgress? _last;
    private long _lastPrintedMs = -5_000;

    public static bool IsInteractive => AnsiConsole.Profile.Capabilities.Interactive && !Console.IsOutputRedirected;

    public void Event(string line)
    {
        lock (_lock)
        {
            _events.Add(line);
        }

        if (!IsInteractive)
        {
            Console.WriteLine(line);
        }
    }

    public void Report(LoadProgress progress)
    {
        lock (_lock)
        {
            _last = progress;
        }

        if (!IsInteractive && progress.ElapsedMs - _lastPrintedMs >= 5_000)
        {
            _lastPrintedMs = progress.ElapsedMs;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"t={progress.ElapsedMs / 1000.0:0.0}s draws/s={progress.DrawsLastSecond:N0} shakes/s={progress.ShakesLastSecond:N0} p50={progress.P50Ms:0.0}ms p99={progress.P99Ms:0.0}ms draws={progress.Draws:N0} wins={progress.Wins:N0} shed={progress.Shed:N0}"));
        }
    }

    public async Task<T> RunAsync<T>(Func<Task<T>> work)
    {
        if (!IsInteractive)
        {
            return await work();
        }

        Table table = Render();
        T result = default!;
        await AnsiConsole.Live(table).AutoClear(false).StartAsync(async context =>
        {
            Task<T> running = work();
            while (!running.IsCompleted)
            {
                await Task.WhenAny(running, Task.Delay(500));
                context.UpdateTarget(Render());
            }

            result = await running;
            context.UpdateTarget(Render());
        });
        return result;
    }

    private Table Render()
    {
        LoadProgress? p;
        string[] events;
        lock (_lock)
        {
            p = _last;
            events = [.. _events.TakeLast(6)];
        }

        Table table = new Table().Border(TableBorder.Rounded).Title("[bold]red-envelope lottery — live[/]").AddColumn("").AddColumn(new TableColumn("").RightAligned());
        if (p is not null)
        {
            double activity = Math.Clamp((p.ElapsedMs - p.ActivityStartMs) / (double)p.ActivityMs, 0, 1);
            table.AddRow("time", string.Create(CultureInfo.InvariantCulture, $"{p.ElapsedMs / 1000.0:0.0} s (activity {activity:P0})"));
            table.AddRow("draw requests/s (last second)", p.DrawsLastSecond.ToString("N0", CultureInfo.InvariantCulture));
            table.AddRow("shakes/s (last second)", p.ShakesLastSecond.ToString("N0", CultureInfo.InvariantCulture));
            table.AddRow("latency p50 / p99 (last second)", string.Create(CultureInfo.InvariantCulture, $"{p.P50Ms:0.0} / {p.P99Ms:0.0} ms"));
            table.AddRow("draws / wins / shed", string.Create(CultureInfo.InvariantCulture, $"{p.Draws:N0} / {p.Wins:N0} / {p.Shed:N0}"));
            table.AddRow("batches in flight / users queued", string.Create(CultureInfo.InvariantCulture, $"{p.InFlightBatches} / {p.QueuedUsers:N0}"));
        }

        foreach (string line in events)
        {
            table.AddRow(new Markup("[grey]event[/]"), new Text(line));
        }

        return table;
    }
}
