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

        if (!await _ha.HasContentAsync(owner, key, cancellation).ConfigureAwait(false))
        {
            return null;
        }

        StoredBlob blob = GetOrAdd(BlobKind.Permanent, owner, key);
        blob.Holders.UnionWith(await _ha.ReadHoldersAsync(owner, key, cancellation).ConfigureAwait(false));
        if (blob.Holders.Count == 0)
        {
            blob.ReleasedAt = _time.GetUtcNow();
        }

        return blob;
    }
}
