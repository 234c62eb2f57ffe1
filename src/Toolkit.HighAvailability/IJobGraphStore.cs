namespace Toolkit.HighAvailability;

/// <summary>
/// The submitted jobs, kept so that a new leader recovers them (Flink's <c>JobGraphStore</c>). A write names the
/// writer's leadership term and the store itself refuses it unless that term still leads: a deposed leader can never
/// overwrite its successor's state, whatever its own clock believes.
/// </summary>
public interface IJobGraphStore
{
    /// <summary>Stores <paramref name="jobGraph"/> (serialized by the caller) under <paramref name="jobId"/>.</summary>
    /// <exception cref="LeadershipLostException">Term <paramref name="epoch"/> no longer leads.</exception>
    Task PutJobGraphAsync(long epoch, string jobId, ReadOnlyMemory<byte> jobGraph, CancellationToken cancellation = default);

    /// <summary>Removes the job; false when there was none.</summary>
    /// <exception cref="LeadershipLostException">Term <paramref name="epoch"/> no longer leads.</exception>
    Task<bool> RemoveJobGraphAsync(long epoch, string jobId, CancellationToken cancellation = default);

    /// <summary>The ids of the stored jobs, in order.</summary>
    Task<IReadOnlyList<string>> GetJobIdsAsync(CancellationToken cancellation = default);

    /// <summary>The stored job graph, or null.</summary>
    Task<byte[]?> RecoverJobGraphAsync(string jobId, CancellationToken cancellation = default);
}
