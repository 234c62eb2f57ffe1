namespace Toolkit.Blob;

/// <summary>The store's start: what a previous run (or a predecessor, through the HA store) left behind.</summary>
internal sealed partial class BlobStore
{
    /// <summary>
    /// Deletes unfinished uploads, re-hashes every stored blob (when <see cref="BlobServerOptions.VerifyOnStart"/>) and
    /// drops those whose content no longer matches their key, reads the holders of permanent blobs, and learns the
    /// permanent blobs the HA store has that this directory lacks (restored on first read). Blobs that no holder
    /// references start their grace now; unread transient blobs get a fresh expiry.
    /// </summary>
    public async Task<(int Blobs, int Dropped)> RecoverAsync(CancellationToken cancellation)
    {
        Directory.CreateDirectory(Root);
        if (Directory.Exists(Incoming))
        {
            Directory.Delete(Incoming, recursive: true);
        }

        Directory.CreateDirectory(Incoming);
        DateTimeOffset now = _time.GetUtcNow();
        int dropped = 0;
        string transient = Path.Combine(Root, "transient");
        foreach (string file in Directory.Exists(transient) ? Directory.EnumerateFiles(transient) : [])
        {
            if (await VerifyAsync(file, null, cancellation).ConfigureAwait(false) is not { } blob)
            {
                dropped++;
                continue;
            }

            blob.PendingReads = 1;
            blob.ExpiresAt = now + _options.TransientTtl;
        }

        string jobs = Path.Combine(Root, "jobs");
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

                if (_ha is null && File.Exists(file + ".refs"))
                {
                    blob.Holders.UnionWith(ParseHolders(await File.ReadAllBytesAsync(file + ".refs", cancellation).ConfigureAwait(false)));
                }
            }
        }

        if (_ha is not null)
        {
            await LearnHaStoreAsync(cancellation).ConfigureAwait(false);
        }

        foreach (StoredBlob blob in _blobs.Values.Where(blob => blob.Kind == BlobKind.Permanent && blob.Holders.Count == 0))
        {
            blob.ReleasedAt = now;
        }

        return (_blobs.Count, dropped);
    }

    private async Task<StoredBlob?> VerifyAsync(string file, JobId? job, CancellationToken cancellation)
    {
        string name = Path.GetFileName(file);
        if (!BlobKey.TryParse(name, out BlobKey key) || name != key.Hex)
        {
            BlobLog.StrayFile(_logger, file);
            BlobFiles.TryDelete(file);
            return null;
        }

        long length;
        if (_options.VerifyOnStart)
        {
            (BlobKey actual, length) = await BlobFiles.HashAsync(file, cancellation).ConfigureAwait(false);
            if (actual != key)
            {
                _metrics.Corrupted();
                BlobLog.Corrupted(_logger, Describe(job, key) + " (found at start)", actual.Hex);
                BlobFiles.TryDelete(file);
                return null;
            }
        }
        else
        {
            length = new FileInfo(file).Length;
        }

        StoredBlob blob = GetOrAdd(job is null ? BlobKind.Transient : BlobKind.Permanent, job, key);
        blob.Length = length;
        blob.Local = true;
        return blob;
    }

    private async Task LearnHaStoreAsync(CancellationToken cancellation)
    {
        foreach (string name in await _ha!.ListAsync("jobs/", cancellation).ConfigureAwait(false))
        {
            string[] parts = name.Split('/');
            bool isRefs = parts.Length == 3 && parts[2].EndsWith(".refs", StringComparison.Ordinal);
            string keyText = isRefs ? parts[2][..^5] : parts.Length == 3 ? parts[2] : "";
            if (parts.Length != 3 || JobId.Validate(parts[1]) is not null || !BlobKey.TryParse(keyText, out BlobKey key))
            {
                continue;
            }

            JobId job = new(parts[1]);
            if (!isRefs)
            {
                GetOrAdd(BlobKind.Permanent, job, key);
                continue;
            }

            Stream? refs = await _ha.OpenReadAsync(name, cancellation).ConfigureAwait(false);
            if (refs is null)
            {
                continue;
            }

            await using (refs.ConfigureAwait(false))
            {
                using MemoryStream content = new();
                await refs.CopyToAsync(content, cancellation).ConfigureAwait(false);
                GetOrAdd(BlobKind.Permanent, job, key).Holders.UnionWith(ParseHolders(content.ToArray()));
            }
        }

        // Holders written for a blob whose content never reached the store (a crash between the two) name nothing.
        foreach (StoredBlob orphan in _blobs.Values.Where(blob => blob.Kind == BlobKind.Permanent && !blob.Local && blob.Length < 0).ToList())
        {
            IReadOnlyList<string> content = await _ha.ListAsync($"jobs/{orphan.Job!.Value.Value}/", cancellation).ConfigureAwait(false);
            if (!content.Contains(HaName(orphan.Job.Value, orphan.Key)))
            {
                _blobs.Remove((orphan.Job, orphan.Key));
            }
        }
    }
}
