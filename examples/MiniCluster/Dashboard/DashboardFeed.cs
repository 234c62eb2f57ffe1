using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using MiniCluster.Contracts;
using MiniCluster.Master;
using Toolkit.HighAvailability;
using Toolkit.Rpc;

namespace MiniCluster.Dashboard;

/// <summary>
/// Reads the cluster's state from the leader twice a second — whichever master leads now, found by leader retrieval, so
/// every master's dashboard follows the leader across a failover — and keeps the latest snapshot as JSON, a chart of
/// tasks over time and a list of what changed (executors joining and lost, leaders, jobs).
/// </summary>
public sealed class DashboardFeed : BackgroundService, ILeaderRetrievalListener
{
    private const int TimelineLength = 600;
    private const int EventsLength = 30;
    private static readonly TimeSpan Period = TimeSpan.FromMilliseconds(500);

    private readonly IHighAvailabilityServices _ha;
    private readonly RpcService _service;
    private readonly MasterLeadership _leadership;
    private readonly ILogger<DashboardFeed> _logger;
    private readonly Queue<TimelinePoint> _timeline = new();
    private readonly Queue<string> _events = new();
    private readonly long _started = Stopwatch.GetTimestamp();
    private volatile LeaderInformation? _leader;
    private volatile string _json = "{}";
    private long _version;
    private ClusterState? _previous;
    private long _previousEpoch;

    public DashboardFeed(IHighAvailabilityServices ha, RpcService service, MasterLeadership leadership, ILogger<DashboardFeed> logger)
    {
        _ha = ha;
        _service = service;
        _leadership = leadership;
        _logger = logger;
    }

    /// <summary>The latest snapshot, as JSON.</summary>
    public string Json => _json;

    /// <summary>Grows by one with each new snapshot.</summary>
    public long Version => Interlocked.Read(ref _version);

    public void NotifyLeaderAddress(LeaderInformation? leader) => _leader = leader;

    public void HandleError(Exception error) => _logger.LogError(error, "Leader retrieval for the dashboard failed");

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using IDisposable retrieval = _ha.RetrieveLeader(MasterLeadership.ComponentId, this);
        using PeriodicTimer timer = new(Period);
        do
        {
            Publish(await ReadAsync(stoppingToken));
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    private async Task<DashboardSnapshot> ReadAsync(CancellationToken cancellation)
    {
        LeaderInformation? leader = _leader;
        ClusterState? state = null;
        string? error = null;
        if (leader is null)
        {
            error = "no leader: waiting for a master to be elected";
        }
        else
        {
            try
            {
                IDispatcherGateway dispatcher = _service.GetRemoteGateway<IDispatcherGateway>(leader.Address + "/" + Dispatcher.EndpointName).WithEpoch(leader.Epoch);
                state = await dispatcher.GetClusterStateAsync().WaitAsync(TimeSpan.FromSeconds(2), cancellation);
            }
            catch (Exception failure) when (failure is RpcException or InvalidOperationException or TimeoutException)
            {
                error = $"the leader of epoch {leader.Epoch} at {leader.Address} did not answer: {failure.Message}";
            }
        }

        Track(leader, state);
        return new DashboardSnapshot(
            _service.NodeId,
            leader is not null && leader.Address == SafeOwnAddress(),
            leader is null ? null : new DashboardLeader(leader.Epoch, leader.Address),
            DateTimeOffset.UtcNow,
            error,
            state?.Executors ?? [],
            state is null ? [] : [.. state.Jobs.Select(DashboardJob.From)],
            [.. _timeline],
            [.. _events.Reverse()]);
    }

    private void Track(LeaderInformation? leader, ClusterState? state)
    {
        string now = DateTimeOffset.UtcNow.ToString("HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture);
        if (leader is not null && leader.Epoch != _previousEpoch)
        {
            Event($"{now} leader: epoch {leader.Epoch} at {leader.Address}");
            _previousEpoch = leader.Epoch;
        }

        if (state is null)
        {
            return;
        }

        HashSet<string> before = [.. _previous?.Executors.Select(executor => executor.ExecutorId) ?? []];
        HashSet<string> after = [.. state.Executors.Select(executor => executor.ExecutorId)];
        foreach (string joined in after.Except(before))
        {
            Event($"{now} executor {joined} registered");
        }

        foreach (string lost in before.Except(after))
        {
            Event($"{now} executor {lost} gone");
        }

        foreach (JobStatus job in state.Jobs)
        {
            JobStatus? earlier = _previous?.Jobs.FirstOrDefault(previous => previous.JobId == job.JobId);
            if (earlier is null || earlier.State != job.State)
            {
                Event($"{now} job {job.JobId} {job.State.ToString().ToLowerInvariant()} (epoch {job.Epoch})");
            }
        }

        _previous = state;
        _timeline.Enqueue(new TimelinePoint(
            Math.Round(Stopwatch.GetElapsedTime(_started).TotalSeconds, 1),
            state.Jobs.Sum(job => job.Running),
            state.Jobs.Sum(job => job.MapsDone + job.ReducesDone),
            state.Executors.Length,
            state.Epoch));
        while (_timeline.Count > TimelineLength)
        {
            _timeline.Dequeue();
        }
    }

    private void Event(string line)
    {
        _events.Enqueue(line);
        while (_events.Count > EventsLength)
        {
            _events.Dequeue();
        }
    }

    private void Publish(DashboardSnapshot snapshot)
    {
        _json = JsonSerializer.Serialize(snapshot, DashboardJson.Default.DashboardSnapshot);
        Interlocked.Increment(ref _version);
    }

    private string? SafeOwnAddress() => _service.Address is null ? null : _leadership.Address;
}
