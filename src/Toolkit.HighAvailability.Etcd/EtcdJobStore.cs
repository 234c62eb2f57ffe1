using Etcdserverpb;
using Google.Protobuf;

namespace Toolkit.HighAvailability.Etcd;

/// <summary>
/// Submitted jobs and job results in etcd. Every write is one transaction whose first compare is the writer's leader
/// key: its create revision must still be the writer's term. A deposed leader's key is gone (or, in no case, has another
/// create revision), so etcd refuses its writes, whatever the deposed leader's clock believes.
/// </summary>
internal sealed class EtcdJobStore(EtcdHighAvailabilityServices owner, string componentId) : IJobGraphStore, IJobResultStore
{
    private const byte Dirty = 0;
    private const byte Clean = 1;

    public async Task PutJobGraphAsync(long epoch, string jobId, ReadOnlyMemory<byte> jobGraph, CancellationToken cancellation = default)
    {
        EtcdKeys.ValidateName(jobId, nameof(jobId));
        await FencedAsync(epoch, [new RequestOp { RequestPut = new PutRequest { Key = EtcdKeys.Bytes(owner.Keys.JobGraphPrefix + jobId), Value = ByteString.CopyFrom(jobGraph.Span) } }], [], cancellation)
            .ConfigureAwait(false);
    }

    public async Task<bool> RemoveJobGraphAsync(long epoch, string jobId, CancellationToken cancellation = default)
    {
        EtcdKeys.ValidateName(jobId, nameof(jobId));
        TxnResponse response = await FencedAsync(epoch, [new RequestOp { RequestDeleteRange = new DeleteRangeRequest { Key = EtcdKeys.Bytes(owner.Keys.JobGraphPrefix + jobId) } }], [], cancellation)
            .ConfigureAwait(false);
        return response.Responses[0].ResponseDeleteRange.Deleted > 0;
    }

    public async Task<IReadOnlyList<string>> GetJobIdsAsync(CancellationToken cancellation = default)
    {
        string prefix = owner.Keys.JobGraphPrefix;
        RangeResponse all = await owner.Client.GetAsync(
            new RangeRequest { Key = EtcdKeys.Bytes(prefix), RangeEnd = EtcdKeys.RangeEnd(prefix), KeysOnly = true, SortTarget = RangeRequest.Types.SortTarget.Key },
            cancellationToken: cancellation).ConfigureAwait(false);
        return [.. all.Kvs.Select(kv => kv.Key.ToStringUtf8()[prefix.Length..])];
    }

    public async Task<byte[]?> RecoverJobGraphAsync(string jobId, CancellationToken cancellation = default)
    {
        EtcdKeys.ValidateName(jobId, nameof(jobId));
        RangeResponse found = await owner.Client.GetAsync(new RangeRequest { Key = EtcdKeys.Bytes(owner.Keys.JobGraphPrefix + jobId) }, cancellationToken: cancellation).ConfigureAwait(false);
        return found.Kvs.Count == 0 ? null : found.Kvs[0].Value.ToByteArray();
    }

    public async Task CreateDirtyResultAsync(long epoch, string jobId, ReadOnlyMemory<byte> result, CancellationToken cancellation = default)
    {
        EtcdKeys.ValidateName(jobId, nameof(jobId));
        string key = owner.Keys.JobResultPrefix + jobId;
        byte[] value = new byte[result.Length + 1];
        value[0] = Dirty;
        result.Span.CopyTo(value.AsSpan(1));
        Compare absent = new() { Key = EtcdKeys.Bytes(key), Target = Compare.Types.CompareTarget.Create, Result = Compare.Types.CompareResult.Equal, CreateRevision = 0 };
        await FencedAsync(
            epoch,
            [new RequestOp { RequestPut = new PutRequest { Key = EtcdKeys.Bytes(key), Value = ByteString.CopyFrom(value) } }],
            [absent],
            cancellation,
            () => new InvalidOperationException($"Job {jobId} has a result already.")).ConfigureAwait(false);
    }

    public async Task MarkResultCleanAsync(long epoch, string jobId, CancellationToken cancellation = default)
    {
        EtcdKeys.ValidateName(jobId, nameof(jobId));
        string key = owner.Keys.JobResultPrefix + jobId;
        RangeResponse found = await owner.Client.GetAsync(new RangeRequest { Key = EtcdKeys.Bytes(key) }, cancellationToken: cancellation).ConfigureAwait(false);
        if (found.Kvs.Count == 0)
        {
            throw new InvalidOperationException($"Job {jobId} has no result to mark clean.");
        }

        byte[] value = found.Kvs[0].Value.ToByteArray();
        value[0] = Clean;
        Compare unchanged = new() { Key = EtcdKeys.Bytes(key), Target = Compare.Types.CompareTarget.Mod, Result = Compare.Types.CompareResult.Equal, ModRevision = found.Kvs[0].ModRevision };
        await FencedAsync(
            epoch,
            [new RequestOp { RequestPut = new PutRequest { Key = EtcdKeys.Bytes(key), Value = ByteString.CopyFrom(value) } }],
            [unchanged],
            cancellation,
            () => new InvalidOperationException($"Job {jobId}'s result changed while it was being marked clean; read it and try again.")).ConfigureAwait(false);
    }

    public async Task<JobResultEntry?> GetResultAsync(string jobId, CancellationToken cancellation = default)
    {
        EtcdKeys.ValidateName(jobId, nameof(jobId));
        RangeResponse found = await owner.Client.GetAsync(new RangeRequest { Key = EtcdKeys.Bytes(owner.Keys.JobResultPrefix + jobId) }, cancellationToken: cancellation).ConfigureAwait(false);
        return found.Kvs.Count == 0 ? null : Entry(jobId, found.Kvs[0].Value);
    }

    public async Task<IReadOnlyList<JobResultEntry>> GetDirtyResultsAsync(CancellationToken cancellation = default)
    {
        string prefix = owner.Keys.JobResultPrefix;
        RangeResponse all = await owner.Client.GetAsync(
            new RangeRequest { Key = EtcdKeys.Bytes(prefix), RangeEnd = EtcdKeys.RangeEnd(prefix), SortTarget = RangeRequest.Types.SortTarget.Key },
            cancellationToken: cancellation).ConfigureAwait(false);
        return [.. all.Kvs.Select(kv => Entry(kv.Key.ToStringUtf8()[prefix.Length..], kv.Value)).Where(entry => !entry.IsClean)];
    }

    /// <summary>The compare that holds while term <paramref name="epoch"/>'s leader key exists with that create revision.</summary>
    internal static Compare LeaderCompare(string leaderKey, long epoch) => new()
    {
        Key = EtcdKeys.Bytes(leaderKey),
        Target = Compare.Types.CompareTarget.Create,
        Result = Compare.Types.CompareResult.Equal,
        CreateRevision = epoch,
    };

    private static JobResultEntry Entry(string jobId, ByteString value) => new(jobId, value.Span[1..].ToArray(), value.Span[0] == Clean);

    /// <summary>
    /// Runs <paramref name="operations"/> if term <paramref name="epoch"/> still leads and <paramref name="conditions"/>
    /// hold. When the transaction fails, a second look tells which: a lost leadership, or <paramref name="conditionFailed"/>.
    /// </summary>
    private async Task<TxnResponse> FencedAsync(
        long epoch, RequestOp[] operations, Compare[] conditions, CancellationToken cancellation, Func<Exception>? conditionFailed = null)
    {
        if (owner.GrantedKey(componentId, epoch) is not { } leader)
        {
            throw new LeadershipLostException(
                componentId, epoch, await owner.CurrentEpochAsync(componentId, cancellation).ConfigureAwait(false), "this process never led in that term");
        }

        TxnRequest write = new();
        write.Compare.Add(LeaderCompare(leader.Key, epoch));
        write.Compare.AddRange(conditions);
        write.Success.AddRange(operations);
        write.Failure.Add(new RequestOp { RequestRange = new RangeRequest { Key = EtcdKeys.Bytes(leader.Key), KeysOnly = true } });
        TxnResponse response = await owner.Client.TransactionAsync(write, cancellationToken: cancellation).ConfigureAwait(false);
        if (response.Succeeded)
        {
            return response;
        }

        RangeResponse leaderKey = response.Responses[0].ResponseRange;
        bool stillLeads = leaderKey.Kvs.Count == 1 && leaderKey.Kvs[0].CreateRevision == epoch;
        if (stillLeads && conditionFailed is not null)
        {
            throw conditionFailed();
        }

        throw new LeadershipLostException(componentId, epoch, await owner.CurrentEpochAsync(componentId, cancellation).ConfigureAwait(false), "etcd refused the write");
    }
}
