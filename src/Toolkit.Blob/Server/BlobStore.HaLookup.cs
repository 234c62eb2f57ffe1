namespace Toolkit.Blob;

/// <summary>
/// Permanent blobs this server has not heard of, looked up in the HA store. A server learns the HA store's content at
/// start; a standby started before its predecessor took uploads in would otherwise answer "not found" for them once it
/// leads. Every operation on a permanent blob therefore asks the HA store when this server does not know the blob.
/// </summary>
internal sealed partial class BlobStore
{
    /// <summary>
    /// The blob as this server knows it or, for a permanent blob it does not know, as the HA store has it: its holders
    /// read from there, its content restored (verified) on the first read. Null when neither has it. Under the gate.
    /// </summary>
    private async Task<StoredBlob?> FindAsync(JobId? job, BlobKey key, CancellationToken cancellation)
    {
        if (_blobs.TryGetValue((job, key), out StoredBlob? known))
        {
            return known;
        }

        if (job is not { } owner || _ha is null)
        {
            return null;
        }

        Stream? content = await _ha.OpenReadAsync(HaName(owner, key), cancellation).ConfigureAwait(false);
        if (content is null)
        {
            return null;
        }

        await content.DisposeAsync().ConfigureAwait(false);
        StoredBlob blob = GetOrAdd(BlobKind.Permanent, owner, key);
        Stream? refs = await _ha.OpenReadAsync(HaName(owner, key) + ".refs", cancellation).ConfigureAwait(false);
        if (refs is not null)
        {
            await using (refs.ConfigureAwait(false))
            {
                using MemoryStream holders = new();
                await refs.CopyToAsync(holders, cancellation).ConfigureAwait(false);
                blob.Holders.UnionWith(ParseHolders(holders.ToArray()));
            }
        }

        if (blob.Holders.Count == 0)
        {
            blob.ReleasedAt = _time.GetUtcNow();
        }

        return blob;
    }

    /// <summary>Deletes what the HA store holds of <paramref name="job"/> beyond the blobs this server knows. Under the gate.</summary>
    private async Task<int> DeleteUnknownHaEntriesAsync(JobId job)
    {
        int deleted = 0;
        foreach (string name in await _ha!.ListAsync($"jobs/{job.Value}/", CancellationToken.None).ConfigureAwait(false))
        {
            string file = name[(name.LastIndexOf('/') + 1)..];
            await _ha.DeleteAsync(name, CancellationToken.None).ConfigureAwait(false);
            if (!file.EndsWith(".refs", StringComparison.Ordinal))
            {
                deleted++;
            }
        }

        return deleted;
    }
}
