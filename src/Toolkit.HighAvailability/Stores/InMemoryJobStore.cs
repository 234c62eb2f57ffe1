namespace Toolkit.HighAvailability.Stores;

/// <summary>
/// The job graph and job result stores of the embedded and standalone providers: in memory, so they last as long as the
/// process, and fenced by the provider's own view of who leads.
/// </summary>
internal sealed class InMemoryJobStore(string componentId, Func<long, long?> currentEpochIfNotLeading) : IJobGraphStore, IJobResultStore
{
    private readonly Lock _lock = new();
    private readonly SortedDictionary<string, byte[]> _graphs = new(StringComparer.Ordinal);
    private readonly SortedDictionary<string, JobResultEntry> _results = new(StringComparer.Ordinal);

    public Task PutJobGraphAsync(long epoch, string jobId, ReadOnlyMemory<byte> jobGraph, CancellationToken cancellation = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(jobId);
        lock (_lock)
        {
            Fence(epoch);
            _graphs[jobId] = jobGraph.ToArray();
        }

        return Task.CompletedTask;
    }

    public Task<bool> RemoveJobGraphAsync(long epoch, string jobId, CancellationToken cancellation = default)
    {
        lock (_lock)
        {
            Fence(epoch);
            return Task.FromResult(_graphs.Remove(jobId));
        }
    }

    public Task<IReadOnlyList<string>> GetJobIdsAsync(CancellationToken cancellation = default)
    {
        lock (_lock)
        {
            return Task.FromResult<IReadOnlyList<string>>([.. _graphs.Keys]);
        }
    }

    public Task<byte[]?> RecoverJobGraphAsync(string jobId, CancellationToken cancellation = default)
    {
        lock (_lock)
        {
            return Task.FromResult(_graphs.TryGetValue(jobId, out byte[]? graph) ? graph.ToArray() : null);
        }
    }

    public Task CreateDirtyResultAsync(long epoch, string jobId, ReadOnlyMemory<byte> result, CancellationToken cancellation = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(jobId);
        lock (_lock)
        {
            Fence(epoch);
            if (!_results.TryAdd(jobId, new JobResultEntry(jobId, result.ToArray(), IsClean: false)))
            {
                throw new InvalidOperationException($"Job {jobId} has a result already.");
            }
        }

        return Task.CompletedTask;
    }

    public Task MarkResultCleanAsync(long epoch, string jobId, CancellationToken cancellation = default)
    {
        lock (_lock)
        {
            Fence(epoch);
            _results[jobId] = (_results.TryGetValue(jobId, out JobResultEntry? entry) ? entry : throw new InvalidOperationException($"Job {jobId} has no result to mark clean."))
                with
            { IsClean = true };
        }

        return Task.CompletedTask;
    }

    public Task<JobResultEntry?> GetResultAsync(string jobId, CancellationToken cancellation = default)
    {
        lock (_lock)
        {
            return Task.FromResult(_results.GetValueOrDefault(jobId));
        }
    }

    public Task<IReadOnlyList<JobResultEntry>> GetDirtyResultsAsync(CancellationToken cancellation = default)
    {
        lock (_lock)
        {
            return Task.FromResult<IReadOnlyList<JobResultEntry>>([.. _results.Values.Where(entry => !entry.IsClean)]);
        }
    }

    private void Fence(long epoch)
    {
        if (currentEpochIfNotLeading(epoch) is { } current)
        {
            throw new LeadershipLostException(componentId, epoch, current == 0 ? null : current);
        }
    }
}
