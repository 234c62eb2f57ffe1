namespace Toolkit.Blob;

/// <summary>The store's control operations, called by the blob server's endpoint: stat, references, deletes, cleanup.</summary>
internal sealed partial class BlobStore
{
    public async Task<BlobStat> StatAsync(JobId? job, BlobKey key)
    {
        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            return await FindAsync(job, key, CancellationToken.None).ConfigureAwait(false) is { } blob
                ? new BlobStat(true, blob.Length, blob.Kind == BlobKind.Permanent ? blob.Holders.Count : blob.PendingReads)
                : new BlobStat(false, -1, 0);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Adds <paramref name="holder"/> to a permanent blob's holders; false when the blob does not exist.</summary>
    public async Task<bool> ReferenceAsync(JobId job, BlobKey key, string holder)
    {
        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            if (await FindAsync(job, key, CancellationToken.None).ConfigureAwait(false) is not { } blob)
            {
                return false;
            }

            if (blob.Holders.Add(holder))
            {
                blob.ReleasedAt = null;
                await SaveHoldersAsync(blob, CancellationToken.None).ConfigureAwait(false);
            }

            return true;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Removes <paramref name="holder"/>; the blob's grace starts when it was the last. False when it held nothing.</summary>
    public async Task<bool> ReleaseAsync(JobId job, BlobKey key, string holder)
    {
        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            if (await FindAsync(job, key, CancellationToken.None).ConfigureAwait(false) is not { } blob || !blob.Holders.Remove(holder))
            {
                return false;
            }

            if (blob.Holders.Count == 0)
            {
                blob.ReleasedAt = _time.GetUtcNow();
            }

            await SaveHoldersAsync(blob, CancellationToken.None).ConfigureAwait(false);
            return true;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Deletes a blob at once, whoever holds it; false when there was none.</summary>
    public async Task<bool> DeleteAsync(JobId? job, BlobKey key)
    {
        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            if (await FindAsync(job, key, CancellationToken.None).ConfigureAwait(false) is not { } blob)
            {
                return false;
            }

            await RemoveAsync(blob).ConfigureAwait(false);
            return true;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Deletes every blob of a job (the job finished and was cleaned up), here and in the HA store; returns how many.</summary>
    public async Task<int> DeleteJobAsync(JobId job)
    {
        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            List<StoredBlob> blobs = [.. _blobs.Values.Where(blob => blob.Job == job)];
            foreach (StoredBlob blob in blobs)
            {
                await RemoveAsync(blob).ConfigureAwait(false);
            }

            // What another server took in after this one started is in the HA store only.
            int unknown = _ha is null ? 0 : await _ha.DeleteJobAsync(job).ConfigureAwait(false);
            BlobFiles.TryDeleteEmptyDirectory(Path.Combine(Root, "jobs", job.Value), Root);
            return blobs.Count + unknown;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Removes transient blobs past their expiry and permanent blobs past their release grace; returns how many.</summary>
    public async Task<int> CleanupAsync()
    {
        DateTimeOffset now = _time.GetUtcNow();
        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            List<StoredBlob> expired = [.. _blobs.Values.Where(blob => blob.Kind == BlobKind.Transient
                ? blob.ExpiresAt <= now
                : blob.Holders.Count == 0 && blob.ReleasedAt is { } released && released + _options.ReleaseGrace <= now)];
            foreach (StoredBlob blob in expired)
            {
                await RemoveAsync(blob).ConfigureAwait(false);
                BlobLog.Expired(_logger, Describe(blob.Job, blob.Key));
            }

            return expired.Count;
        }
        finally
        {
            _gate.Release();
        }
    }
}
