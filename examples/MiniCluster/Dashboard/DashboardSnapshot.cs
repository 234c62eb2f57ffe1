using MiniCluster.Contracts;

namespace MiniCluster.Dashboard;

/// <summary>What the dashboard page draws, sent to it as JSON twice a second.</summary>
/// <param name="ServedBy">The master process serving the page.</param>
/// <param name="ServedByLeader">Whether that process leads.</param>
/// <param name="Leader">The leader as leader retrieval names it, or null when none.</param>
/// <param name="Error">Why the leader's state could not be read this time, or null.</param>
public sealed record DashboardSnapshot(
    string ServedBy,
    bool ServedByLeader,
    DashboardLeader? Leader,
    DateTimeOffset At,
    string? Error,
    ExecutorView[] Executors,
    DashboardJob[] Jobs,
    TimelinePoint[] Timeline,
    string[] Events);

/// <summary>The leading master and its epoch.</summary>
public sealed record DashboardLeader(long Epoch, string Address);

/// <summary>A job without its word counts (those stay on the master).</summary>
public sealed record DashboardJob(
    string JobId,
    string Name,
    JobState State,
    long Epoch,
    int Maps,
    int MapsDone,
    int Reduces,
    int ReducesDone,
    int Running,
    int Redeployed,
    DateTimeOffset SubmittedAt,
    DateTimeOffset? FinishedAt,
    TaskView[] Tasks,
    long? TotalWords,
    int? DistinctWords,
    string? Checksum,
    double? Seconds,
    string? Error)
{
    public static DashboardJob From(JobStatus job) => new(
        job.JobId, job.Name, job.State, job.Epoch, job.Maps, job.MapsDone, job.Reduces, job.ReducesDone, job.Running, job.Redeployed,
        job.SubmittedAt, job.FinishedAt, job.Tasks, job.Result?.TotalWords, job.Result?.DistinctWords,
        job.Result is { } result ? result.Checksum.ToString("x16", System.Globalization.CultureInfo.InvariantCulture) : null, job.Result?.Seconds, job.Error);
}

/// <summary>One sample of the chart: seconds since the feed started, tasks running and finished, executors registered, the epoch.</summary>
public sealed record TimelinePoint(double T, int Running, int Finished, int Executors, long Epoch);
