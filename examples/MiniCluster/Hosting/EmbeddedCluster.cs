using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using MiniCluster.Contracts;
using MiniCluster.Executor;
using MiniCluster.Master;
using Toolkit.HighAvailability.Embedded;

namespace MiniCluster.Hosting;

/// <summary>
/// The whole cluster in this process, the default of <c>dotnet run</c>: one master and several task executors, each in
/// its own Toolkit service talking over loopback TCP (the executors in client mode), elected through the embedded HA
/// services; a sample job submitted, watched, and checked against the single-threaded count.
/// </summary>
public sealed class EmbeddedCluster : IAsyncDisposable
{
    private readonly EmbeddedHighAvailabilityServices _ha = new();
    private readonly DirectoryInfo _blobs = Directory.CreateTempSubdirectory("minicluster-embedded-");
    private readonly List<IHost> _executors = [];
    private readonly List<WebApplication> _masters = [];
    private readonly List<string> _dashboards = [];

    /// <summary>The first master's dashboard.</summary>
    public string DashboardUrl => _dashboards[0];

    /// <summary>Each master's dashboard.</summary>
    public IReadOnlyList<string> DashboardUrls => _dashboards;

    public IReadOnlyList<IHost> Executors => _executors;

    /// <summary>
    /// Where the cluster's blobs are: each master's blob directory (<c>blobs-master-N</c>), the blob HA store they share
    /// (<c>blobs-ha</c>), and each executor's cache (<c>cache-executor-N</c>).
    /// </summary>
    public string BlobDirectory => _blobs.FullName;

    /// <summary>
    /// Starts <paramref name="masters"/> masters (the first leads, the others stand by; their dashboards after the first
    /// on free ports) and <paramref name="executors"/> executors of <paramref name="slots"/> slots each.
    /// </summary>
    public async Task StartAsync(int executors, int slots, string dashboardUrl, CancellationToken cancellation, int masters = 1)
    {
        for (int i = 1; i <= masters; i++)
        {
            BlobStorage blobs = Blobs($"master-{i}");
            WebApplication master = MasterHost.Build($"master-{i}", "127.0.0.1:0", i == 1 ? dashboardUrl : "http://127.0.0.1:0", ha: null, shared: _ha, blobs, consoleLog: false);
            try
            {
                await master.StartAsync(cancellation);
            }
            catch (IOException busy) when (i == 1)
            {
                // The dashboard's port is taken (another run?): any free port will do for a demo.
                Console.Error.WriteLine($"The dashboard cannot listen on {dashboardUrl} ({busy.Message}); it takes a free port instead.");
                await master.DisposeAsync();
                master = MasterHost.Build($"master-{i}", "127.0.0.1:0", "http://127.0.0.1:0", ha: null, shared: _ha, blobs, consoleLog: false);
                await master.StartAsync(cancellation);
            }

            _masters.Add(master);
            _dashboards.Add(master.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First());
        }

        for (int i = 1; i <= executors; i++)
        {
            IHost executor = ExecutorHost.Build(new TaskExecutorOptions { ExecutorId = $"executor-{i}", Slots = slots, CacheDirectory = Path.Combine(_blobs.FullName, $"cache-executor-{i}") }, listen: null, ha: null, shared: _ha, consoleLog: false);
            await executor.StartAsync(cancellation);
            _executors.Add(executor);
        }
    }

    /// <summary>A client of this cluster (the caller disposes it).</summary>
    public Task<ClusterClient> ClientAsync() => ClusterClient.StartAsync(_ha, ownsHa: false, "submitter");

    /// <summary>Stops executor <paramref name="index"/> at once, as a crash would look to the master: its connection closes.</summary>
    public async Task KillExecutorAsync(int index)
    {
        IHost executor = _executors[index];
        using CancellationTokenSource now = new(TimeSpan.Zero);
        try
        {
            await executor.StopAsync(now.Token);
        }
        catch (OperationCanceledException)
        {
            // Stopped without waiting, as intended.
        }

        executor.Dispose();
    }

    /// <summary>Takes the leadership from the master that holds it; the next one (or the same, when alone) leads with a higher epoch.</summary>
    public void FailOver() => _ha.RevokeLeadership(MasterLeadership.ComponentId);

    public async ValueTask DisposeAsync()
    {
        foreach (IHost executor in _executors)
        {
            try
            {
                await executor.StopAsync();
            }
            catch (ObjectDisposedException)
            {
                // Killed earlier.
            }

            executor.Dispose();
        }

        foreach (WebApplication master in _masters)
        {
            await master.StopAsync();
            await master.DisposeAsync();
        }

        await _ha.DisposeAsync();
        _blobs.Delete(recursive: true);
    }

    // Each master's own blob directory; permanent blobs mirrored to one directory they share.
    private BlobStorage Blobs(string nodeId) => new(Path.Combine(_blobs.FullName, "blobs-" + nodeId), Path.Combine(_blobs.FullName, "blobs-ha"));

    /// <summary>The default run: start, submit, watch, check, report; 0 when the result is right.</summary>
    public static async Task<int> RunAsync(EmbeddedRunOptions options, CancellationToken cancellation)
    {
        LiveView view = new();
        await using EmbeddedCluster cluster = new();
        await cluster.StartAsync(options.Executors, options.Slots, options.DashboardUrl, cancellation);
        Console.WriteLine($"Mini cluster: 1 master and {options.Executors} task executors of {options.Slots} slots on loopback; dashboard at {cluster.DashboardUrl}");
        await using ClusterClient client = await cluster.ClientAsync();
        JobSpec job = options.Job;
        using JobInput input = JobInput.Generate(job);
        bool killed = !options.KillExecutor;
        JobRunner.Run run = await view.RunAsync(() => JobRunner.RunAsync(client, input, status =>
        {
            view.Job(status);
            if (!killed && status.MapsDone * 2 >= status.Maps && status.Running > 0)
            {
                killed = true;
                view.Event("killing executor-1 mid-job: its tasks will be deployed again");
                _ = cluster.KillExecutorAsync(0);
            }

            _ = RefreshClusterAsync(client, view, cancellation);
        }, cancellation));

        Console.WriteLine($"Job {run.Final.JobId} {run.Final.State} in {run.Seconds.ToString("F2", CultureInfo.InvariantCulture)} s (the input's upload {run.UploadSeconds.ToString("F2", CultureInfo.InvariantCulture)} s); counting the same input on one thread to check it…");
        JobRunner.Outcome outcome = JobRunner.Check(input, run);
        Report.Print(outcome);
        if (options.KeepOpen)
        {
            Console.WriteLine($"The cluster keeps running: open {cluster.DashboardUrl}, press Ctrl+C to stop.");
            await Task.Delay(Timeout.Infinite, cancellation).ContinueWith(static _ => { }, TaskScheduler.Default);
        }

        return outcome.Mismatch is null ? 0 : 1;
    }

    private static async Task RefreshClusterAsync(ClusterClient client, LiveView view, CancellationToken cancellation)
    {
        try
        {
            using CancellationTokenSource limit = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
            limit.CancelAfter(TimeSpan.FromSeconds(1));
            view.Cluster(await client.ClusterStateAsync(limit.Token));
        }
        catch (OperationCanceledException)
        {
            // The next status read tries again.
        }
    }
}
