using System.Diagnostics;
using System.Globalization;
using MiniCluster.Contracts;
using MiniCluster.Jobs;

namespace MiniCluster.Hosting;

/// <summary>Submits a job, follows it to the end through every change of leader, and checks its result against the single-threaded count.</summary>
public static class JobRunner
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(250);

    /// <summary>What a run came to.</summary>
    /// <param name="Mismatch">Where the cluster's result differs from the single-threaded one, or null when equal.</param>
    public sealed record Outcome(JobStatus Final, double ClusterSeconds, JobResult Expected, string? Mismatch);

    /// <summary>Submits <paramref name="job"/> and waits until it finishes; <paramref name="progress"/> hears each status read.</summary>
    public static async Task<(JobStatus Final, double Seconds)> RunAsync(ClusterClient client, JobSpec job, Action<JobStatus> progress, CancellationToken cancellation)
    {
        long started = Stopwatch.GetTimestamp();
        JobStatus status = await client.SubmitAsync(job, cancellation);
        progress(status);
        while (status.State is JobState.Running or JobState.Unknown)
        {
            await Task.Delay(PollInterval, cancellation);
            status = await client.StatusAsync(job, cancellation);
            progress(status);
        }

        return (status, Stopwatch.GetElapsedTime(started).TotalSeconds);
    }

    /// <summary>The single-threaded count of the same input, and where the cluster's result differs from it.</summary>
    public static Outcome Check(JobSpec job, JobStatus final, double clusterSeconds)
    {
        JobResult expected = WordCounter.Reference(job);
        string? mismatch = final.Result is { } actual ? WordCounter.Compare(expected, actual) : $"the job ended {final.State}: {final.Error}";
        return new Outcome(final, clusterSeconds, expected, mismatch);
    }

    /// <summary>One line of progress, for logs and tests.</summary>
    public static string Line(JobStatus status) => string.Create(CultureInfo.InvariantCulture,
        $"progress job={status.JobId} state={status.State} epoch={status.Epoch} maps={status.MapsDone}/{status.Maps} reduces={status.ReducesDone}/{status.Reduces} running={status.Running} redeployed={status.Redeployed}");

    /// <summary>The verdict line: <c>result ok …</c> or <c>result MISMATCH …</c>.</summary>
    public static string Verdict(Outcome outcome) => string.Create(
        CultureInfo.InvariantCulture,
        $"result {(outcome.Mismatch is null ? "ok" : "MISMATCH")} job={outcome.Final.JobId} epoch={outcome.Final.Epoch} words={outcome.Final.Result?.TotalWords ?? 0} distinct={outcome.Final.Result?.DistinctWords ?? 0} checksum={outcome.Final.Result?.Checksum ?? 0:x16} expected-checksum={outcome.Expected.Checksum:x16} redeployed={outcome.Final.Redeployed} cluster-seconds={outcome.ClusterSeconds:F2} single-thread-seconds={outcome.Expected.Seconds:F2}") +
        (outcome.Mismatch is null ? "" : " mismatch=" + outcome.Mismatch);
}
