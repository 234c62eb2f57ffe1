using Microsoft.Extensions.Logging;

namespace Toolkit.Blob;

/// <summary>The store's start: what a previous run (or a predecessor, through the HA store) left behind.</summary>
internal sealed class BlobStoreRecovery(BlobStore store, BlobServerOptions options, BlobHaMirror? ha, TimeProvider time, ILogger logger, BlobMetrics metrics)
{
    /// <summary>
    /// Deletes unfinished uploads, re-hashes every stored blob (when <see cref="BlobServerOptions.VerifyOnStart"/>) and
    /// drops those whose content no longer matches their key, reads the holders of permanent blobs, and learns the
    /// permanent blobs the HA store has that this directory lacks (restored on first read). Blobs that no holder
    /// references start their grace now; unread transient blobs get a fresh expiry.
    /// </summary>
    public async Task<(int Blobs, int Dropped)> RunAsync(CancellationToken cancellation)
    {
        Directory.CreateDirectory(store.Root);
        if (Directory.Exists(store.Incoming))
        {
            Directory.Delete(store.Incoming, recursive: true);
        }

        Directory.CreateDirectory(store.Incoming);
        DateTimeOffset now = time.GetUtcNow();
        int dropped = 0;
        string transient = Path.Combine(store.Root, "transient");
        foreach (string file in Directory.Exists(transient) ? Directory.EnumerateFiles(transient) : [])
        {
            if (await VerifyAsync(file, null, cancellation).ConfigureAwait(false) is not { } blob)
            {
                dropped++;
                continue;
            }

            blob.PendingReads = 1;
            blob.ExpiresAt = now + options.TransientTtl;
        }

        string jobs = Path.Combine(store.Root, "jobs");
        foreach (string directory in Directory.Exists(jobs) ? Directory.EnumerateDirectories(jobs) : [])
        {
            string name = Path.GetFileName(directory);
            if (JobId.Validate(name) is not null)
            {
                continue;
            }

            JobId job = new(name);
            foreach (string file in Directory.EnumerateFiles(directory).Where(file => !file.EndsWith(".refs", StringComparison.Ordinal)))
            {
                if (await VerifyAsync(file, job, cancellation).ConfigureAwait(false) is not { } blob)
                {
                    dropped++;
                    BlobFiles.TryDelete(file + ".refs");
                    continue;
                }

                if (ha is null && File.Exists(file + ".refs"))
                {
                    blob.Holders.UnionWith(BlobHaMirror.ParseHolders(await File.ReadAllBytesAsync(file + ".refs", cancellation).ConfigureAwait(false)));
                }
            }
        }

        if (ha is not null)
        {
            await LearnHaStoreAsync(cancellation).ConfigureAwait(false);
        }

        foreach (StoredBlob blob in store.Blobs.Where(blob => blob.Kind == BlobKind.Permanent && blob.Holders.Count == 0))
        {
            blob.ReleasedAt = now;
        }

        return (store.Count, dropped);
    }

    private async Task<StoredBlob?> VerifyAsync(string file, JobId? job, CancellationToken cancellation)
    {
        string name = Path.GetFileName(file);
        if (!BlobKey.TryParse(name, out BlobKey key) || name != key.Hex)
        {
            BlobLog.StrayFile(logger, file);
            BlobFiles.TryDelete(file);
            return null;
        }

        long length;
        if (options.VerifyOnStart)
        {
            (BlobKey actual, length) = await BlobFiles.HashAsync(file, cancellation).ConfigureAwait(false);
            if (actual != key)
            {
                metrics.Corrupted();
                BlobLog.Corrupted(logger, BlobStore.Describe(job, key) + " (found at start)", actual.Hex);
                BlobFiles.TryDelete(file);
                return null;
            }
        }
        else
        {
            length = new FileInfo(file).Length;
        }

        StoredBlob blob = store.GetOrAdd(job is null ? BlobKind.Transient : BlobKind.Permanent, job, key);
        blob.Length = length;
        blob.Local = true;
        return blob;
    }

    /// <summary>
    /// Learns the permanent blobs the HA store has content for (restored on first read) and the holders it has
    /// written. Holders written for a blob whose content never reached the store (a crash between the two) name
    /// nothing, unless this directory has the blob.
    /// </summary>
    private async Task LearnHaStoreAsync(CancellationToken cancellation)
    {
        foreach ((JobId job, BlobKey key, bool hasContent, HashSet<string>? holders) in await ha!.ListAsync(cancellation).ConfigureAwait(false))
        {
            StoredBlob? blob = hasContent ? store.GetOrAdd(BlobKind.Permanent, job, key) : store.Known(job, key);
            if (blob is not null && holders is not null)
            {
                blob.Holders.UnionWith(holders);
            }
        }
    }
}
