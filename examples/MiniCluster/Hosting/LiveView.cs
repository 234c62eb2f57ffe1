using System.Globalization;
using MiniCluster.Contracts;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace MiniCluster.Hosting;

/// <summary>The embedded run's terminal: the job's progress, its tasks and the executors, redrawn in place on a terminal; a line a second otherwise.</summary>
public sealed class LiveView
{
    private readonly Lock _lock = new();
    private readonly List<string> _events = [];
    private JobStatus? _job;
    private ClusterState? _cluster;
    private long _lastLine;

    public static bool IsInteractive => AnsiConsole.Profile.Capabilities.Interactive && !Console.IsOutputRedirected;

    public void Job(JobStatus job)
    {
        lock (_lock)
        {
            _job = job;
        }

        long now = Environment.TickCount64;
        if (!IsInteractive && now - _lastLine >= 1_000)
        {
            _lastLine = now;
            Console.WriteLine(JobRunner.Line(job));
        }
    }

    public void Cluster(ClusterState cluster)
    {
        lock (_lock)
        {
            _cluster = cluster;
        }
    }

    public void Event(string line)
    {
        lock (_lock)
        {
            _events.Add(DateTime.Now.ToString("HH:mm:ss ", CultureInfo.InvariantCulture) + line);
        }

        if (!IsInteractive)
        {
            Console.WriteLine(line);
        }
    }

    /// <summary>Runs <paramref name="work"/> with the view drawn live on a terminal.</summary>
    public async Task<T> RunAsync<T>(Func<Task<T>> work)
    {
        if (!IsInteractive)
        {
            return await work();
        }

        T result = default!;
        await AnsiConsole.Live(Render()).AutoClear(false).StartAsync(async context =>
        {
            Task<T> running = work();
            while (!running.IsCompleted)
            {
                await Task.WhenAny(running, Task.Delay(250));
                context.UpdateTarget(Render());
            }

            result = await running;
            context.UpdateTarget(Render());
        });
        return result;
    }

    private IRenderable Render()
    {
        JobStatus? job;
        ClusterState? cluster;
        string[] events;
        lock (_lock)
        {
            job = _job;
            cluster = _cluster;
            events = [.. _events.TakeLast(5)];
        }

        Table table = new Table().Border(TableBorder.Rounded).Title("[bold]mini cluster — word count[/]").HideHeaders()
            .AddColumn("").AddColumn("");
        if (cluster is not null)
        {
            table.AddRow(new Markup("[grey]leader[/]"), new Text($"{cluster.NodeId}, epoch {cluster.Epoch}, {cluster.LeaderAddress}"));
            foreach (ExecutorView executor in cluster.Executors)
            {
                string slots = string.Join(" ", executor.SlotTable.Select(slot => slot.TaskId ?? (slot.JobId is null ? "free" : "allocated")));
                table.AddRow(new Markup($"[grey]{Markup.Escape(executor.ExecutorId)}[/]"),
                    new Text(string.Create(CultureInfo.InvariantCulture, $"{slots}  (heartbeat {executor.HeartbeatAgeSeconds:0.0} s ago)")));
            }
        }

        if (job is not null)
        {
            table.AddRow(new Markup("[grey]job[/]"), new Text($"{job.JobId}: {job.State}, {job.Running} tasks running, {job.Redeployed} deployed again"));
            table.AddRow(new Markup("[grey]map[/]"), Bar(job.MapsDone, job.Maps));
            table.AddRow(new Markup("[grey]reduce[/]"), Bar(job.ReducesDone, job.Reduces));
        }

        foreach (string line in events)
        {
            table.AddRow(new Markup("[grey]event[/]"), new Text(line));
        }

        return table;
    }

    private static Markup Bar(int done, int total)
    {
        int filled = total == 0 ? 0 : (int)Math.Round(40.0 * done / total);
        return new Markup($"[green]{new string('━', filled)}[/][grey23]{new string('━', 40 - filled)}[/] {done}/{total}");
    }
}
