using System.Diagnostics;
using System.Globalization;
using MiniCluster.Contracts;
using MiniCluster.Jobs;

namespace MiniCluster.Hosting;

/// <summary>
/// Uploads a job's input, submits the job, follows it to the end through every change of leader, and checks its result
/// against the single-threaded count of the same files.
/// </summary>
public static class JobRunner
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(250);

    /// <summary>A finished run.</summary>
    /// <param name="Seconds">From the start of the upload to the final status.</param>
    /// <param name="UploadSeconds">The upload of the program and the shards, part of <paramref name="Seconds"/>.</param>
    public sealed record Run(JobStatus Final, double Seconds, double UploadSeconds);

    /// <summary>What a run came to.</summary>
    /// <param name="Mismatch">Where the cluster's result differs from the single-threaded one, or null when equal.</param>
    public sealed record Outcome(Run Run, JobResult Expected, string? Mismatch)
    {
        public JobStatus Final => Run.Final;
    }

    /// <summary>
    /// Uploads the job's program and shards as permanent blobs of the job, submits it with their keys and waits until
    /// it finishes; <paramref name="progress"/> hears each status read.
    /// </summary>
    public static async Task<Run> RunAsync(ClusterClient client, JobInput input, Action<JobStatus> progress, CancellationToken cancellation)
    {
        long started = Stopwatch.GetTimestamp();
        (JobSpec job, double uploadSeconds) = await input.UploadAsync(client, cancellation);
        JobStatus status = await client.SubmitAsync(job, cancellation);
        progress(status);
        while (status.State is JobState.Running or JobState.Unknown)
        {
            await Task.Delay(PollInterval, cancellation);
            status = await client.StatusAsync(job, cancellation);
            progress(status);
        }

        return new Run(status, Stopwatch.GetElapsedTime(started).TotalSeconds, uploadSeconds);
    }

    /// <summary>The single-threaded count of the same input files, and where the cluster's result differs from it.</summary>
    public static Outcome Check(JobInput input, Run run)
    {
        JobResult expected = input.Reference();
        string? mismatch = run.Final.Result is { } actual ? WordCounter.Compare(expected, actual) : $"the job ended {run.Final.State}: {run.Final.Error}";
        return new Outcome(run, expected, mismatch);
    }

    /// <summary>One line of progress, for logs and tests.</summary>
    public static string Line(JobStatus status) => string.Create(CultureInfo.InvariantCulture,
        $"progress job={status.JobId} state={status.State} epoch={status.Epoch} maps={status.MapsDone}/{status.Maps} reduces={status.ReducesDone}/{status.Reduces} running={status.Running} redeployed={status.Redeployed}");

    /// <summary>The verdict line: <c>result ok …</c> or <c>result MISMATCH …</c>.</summary>
    public static string Verdict(Outcome outcome) => string.Create(
        CultureInfo.InvariantCulture,
        $"result {(outcome.Mismatch is null ? "ok" : "MISMATCH")} job={outcome.Final.JobId} epoch={outcome.Final.Epoch} words={outcome.Final.Result?.TotalWords ?? 0} distinct={outcome.Final.Result?.DistinctWords ?? 0} checksum={outcome.Final.Result?.Checksum ?? 0:x16} expected-checksum={outcome.Expected.Checksum:x16} redeployed={outcome.Final.Redeployed} cluster-seconds={outcome.Run.Seconds:F2} upload-seconds={outcome.Run.UploadSeconds:F2} single-thread-seconds={outcome.Expected.Seconds:F2}") +
        (outcome.Mismatch is null ? "" : " mismatch=" + outcome.Mismatch);
}
