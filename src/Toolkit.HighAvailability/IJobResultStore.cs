namespace Toolkit.HighAvailability;

/// <summary>
/// Finished jobs' results (Flink's <c>JobResultStore</c>): a result is written dirty when the job finishes and marked
/// clean when its resources are cleaned up, so that a new leader finishes the cleanup of dirty ones. Writes are fenced
/// as <see cref="IJobGraphStore"/>'s are.
/// </summary>
public interface IJobResultStore
{
    /// <summary>Records <paramref name="result"/> for <paramref name="jobId"/>, not yet cleaned up.</summary>
    /// <exception cref="LeadershipLostException">Term <paramref name="epoch"/> no longer leads.</exception>
    /// <exception cref="InvalidOperationException">A result for the job exists already.</exception>
    Task CreateDirtyResultAsync(long epoch, string jobId, ReadOnlyMemory<byte> result, CancellationToken cancellation = default);

    /// <summary>Marks the job's result clean.</summary>
    /// <exception cref="LeadershipLostException">Term <paramref name="epoch"/> no longer leads.</exception>
    /// <exception cref="InvalidOperationException">There is no result for the job.</exception>
    Task MarkResultCleanAsync(long epoch, string jobId, CancellationToken cancellation = default);

    /// <summary>The job's result, or null.</summary>
    Task<JobResultEntry?> GetResultAsync(string jobId, CancellationToken cancellation = default);

    /// <summary>The results not yet marked clean, by job id.</summary>
    Task<IReadOnlyList<JobResultEntry>> GetDirtyResultsAsync(CancellationToken cancellation = default);
}

/// <summary>A finished job's result.</summary>
/// <param name="JobId">The job.</param>
/// <param name="Result">The result, serialized by the writer.</param>
/// <param name="IsClean">Whether the job's resources were cleaned up.</param>
public sealed record JobResultEntry(string JobId, byte[] Result, bool IsClean);
