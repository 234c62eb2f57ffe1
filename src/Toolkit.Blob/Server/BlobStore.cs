using Microsoft.Extensions.Logging;

namespace Toolkit.Blob;

/// <summary>
/// The server's blobs on disk and what it knows of them. Layout under the directory: <c>incoming/</c> (uploads in
/// progress, never served), <c>transient/{key}</c>, <c>jobs/{job}/{key}</c> and <c>jobs/{job}/{key}.refs</c> (the
/// holders of a permanent blob). A file appears under its key only by a rename after it was complete, flushed to disk
/// and verified, so nothing half-written is ever visible. Thread-safe: transfers and the control endpoint share it.
/// </summary>
internal sealed partial class BlobStore
{
    private readonly BlobServerOptions _options;
    private readonly BlobHaMirror? _ha;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly BlobMetrics _metrics;
    private readonly Dictionary<(JobId? Job, BlobKey Key), StoredBlob> _blobs = [];

    // One async gate: commits, reference changes and cleanup may await the HA store while they hold it, so that the
    // holders written there are never older than the ones written locally.
    private readonly SemaphoreSlim _gate = new(1, 1);

    public BlobStore(BlobServerOptions options, IBlobHaStore? ha, TimeProvider time, ILogger logger, BlobMetrics metrics)
    {
        _options = options;
        _ha = ha is null ? null : new BlobHaMirror(ha);
        _time = time;
        _logger = logger;
        _metrics = metrics;
        Root = Path.GetFullPath(options.Directory);
        Incoming = Path.Combine(Root, "incoming");
    }

    public string Root { get; }

    public string Incoming { get; }

    public bool HasHaStore => _ha is not null;

    /// <summary>A fresh path for an upload in progress.</summary>
    public string NewTemporaryPath() => Path.Combine(Incoming, Guid.NewGuid().ToString("n") + ".tmp");

    public string PathOf(JobId? job, BlobKey key) => job is { } j
        ? Path.Combine(Root, "jobs", j.Value, key.Hex)
        : Path.Combine(Root, "transient", key.Hex);

    /// <summary>Throws <see cref="BlobError.StorageFull"/> when the disk has less than the reserve left.</summary>
    public void EnsureRoom(long more)
    {
        if (BlobFiles.FreeBytes(Root) is { } free && free - more < _options.MinFreeBytes)
        {
            throw new BlobException(BlobError.StorageFull,
                $"The blob store {Root} is full: {free / (1024 * 1024)} MiB free, and uploads must leave {_options.MinFreeBytes / (1024 * 1024)} MiB (BlobServerOptions.MinFreeBytes).");
        }
    }

    /// <summary>
    /// Makes a verified upload visible under its key: mirrored to the HA store first (permanent blobs), then renamed
    /// into place. A concurrent upload of the same content that got there first wins; this one's file is dropped.
    /// </summary>
    public async Task CommitAsync(string temporary, BlobKey key, long length, BlobKind kind, JobId? job, string? holder, CancellationToken cancellation)
    {
        if (kind == BlobKind.Permanent && _ha is not null)
        {
            await _ha.PutContentAsync(job!.Value, key, temporary, cancellation).ConfigureAwait(false);
        }

        await _gate.WaitAsync(cancellation).ConfigureAwait(false);
        try
        {
            string path = PathOf(job, key);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            if (File.Exists(path))
            {
                BlobFiles.TryDelete(temporary);
            }
            else
            {
                File.Move(temporary, path, overwrite: false);
            }

            StoredBlob blob = GetOrAdd(kind, job, key);
            blob.Length = length;
            blob.Local = true;
            if (kind == BlobKind.Transient)
            {
                blob.PendingReads++;
                blob.ExpiresAt = _time.GetUtcNow() + _options.TransientTtl;
            }
            else if (holder is not null && blob.Holders.Add(holder))
            {
                blob.ReleasedAt = null;
                await SaveHoldersAsync(blob, cancellation).ConfigureAwait(false);
            }
            else if (blob.Holders.Count == 0)
            {
                blob.ReleasedAt ??= _time.GetUtcNow();
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// Opens a blob for reading, restoring it from the HA store when this server does not have it locally — also a
    /// permanent blob uploaded to another server after this one started (a standby that became the leader).
    /// </summary>
    public async Task<(FileStream File, long Length)> OpenReadAsync(JobId? job, BlobKey key, CancellationToken cancellation)
    {
        await _gate.WaitAsync(cancellation).ConfigureAwait(false);
        try
        {
            if (await FindAsync(job, key, cancellation).ConfigureAwait(false) is not { } blob)
            {
                throw NotFound(job, key);
            }

            if (blob.Local)
            {
                try
                {
                    FileStream file = new(PathOf(job, key), FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 0, FileOptions.SequentialScan | FileOptions.Asynchronous);
                    return (file, file.Length);
                }
                catch (Exception exception) when (exception is FileNotFoundException or DirectoryNotFoundException)
                {
                    blob.Local = false;
                    BlobLog.FileVanished(_logger, Describe(job, key));
                }
            }

            if (job is { } owner && _ha is not null && await RestoreAsync(blob, owner, cancellation).ConfigureAwait(false))
            {
                FileStream file = new(PathOf(job, key), FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 0, FileOptions.SequentialScan | FileOptions.Asynchronous);
                return (file, file.Length);
            }

            _blobs.Remove((job, key));
            throw NotFound(job, key);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>A reader verified a transient blob: one pending read fewer, and the blob gone after the last.</summary>
    public async Task ConfirmReadAsync(BlobKey key)
    {
        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            if (_blobs.TryGetValue((null, key), out StoredBlob? blob) && --blob.PendingReads <= 0)
            {
                RemoveLocal(blob);
                BlobLog.TransientRead(_logger, key.Hex);
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>A read found the file's content no longer matches its key: the local file is dropped (an HA copy is restored on the next read).</summary>
    public async Task DropCorruptedAsync(JobId? job, BlobKey key, BlobKey actual)
    {
        _metrics.Corrupted();
        BlobLog.Corrupted(_logger, Describe(job, key), actual.Hex);
        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            if (_blobs.TryGetValue((job, key), out StoredBlob? blob))
            {
                BlobFiles.TryDelete(PathOf(job, key));
                blob.Local = false;
                if (job is null || _ha is null)
                {
                    _blobs.Remove((job, key));
                }
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    internal static string Describe(JobId? job, BlobKey key) => job is { } j ? $"permanent blob {key} of job {j}" : $"transient blob {key}";

    private static BlobException NotFound(JobId? job, BlobKey key) =>
        new(BlobError.NotFound, $"The blob server has no {Describe(job, key)}{(job is null ? " (never uploaded, already read, or expired)" : "")}.");

    /// <summary>
    /// Deletes unfinished uploads, re-hashes every stored blob (when <see cref="BlobServerOptions.VerifyOnStart"/>) and
    /// drops those whose content no longer matches their key, and learns what the directory and the HA store hold.
    /// </summary>
    public Task<(int Blobs, int Dropped)> RecoverAsync(CancellationToken cancellation) =>
        new BlobStoreRecovery(this, _options, _ha, _time, _logger, _metrics).RunAsync(cancellation);

    /// <summary>How many blobs the store knows.</summary>
    internal int Count => _blobs.Count;

    /// <summary>Every blob the store knows.</summary>
    internal IEnumerable<StoredBlob> Blobs => _blobs.Values;

    /// <summary>The blob the store knows under <paramref name="job"/> and <paramref name="key"/>, or null.</summary>
    internal StoredBlob? Known(JobId? job, BlobKey key) => _blobs.GetValueOrDefault((job, key));

    internal StoredBlob GetOrAdd(BlobKind kind, JobId? job, BlobKey key)
    {
        if (!_blobs.TryGetValue((job, key), out StoredBlob? blob))
        {
            blob = new StoredBlob(kind, job, key);
            _blobs[(job, key)] = blob;
        }

        return blob;
    }

    private void RemoveLocal(StoredBlob blob)
    {
        _blobs.Remove((blob.Job, blob.Key));
        string path = PathOf(blob.Job, blob.Key);
        BlobFiles.TryDelete(path);
        if (blob.Job is not null)
        {
            BlobFiles.TryDelete(path + ".refs");
            BlobFiles.TryDeleteEmptyDirectory(Path.GetDirectoryName(path)!, Root);
        }
    }

    private async Task RemoveAsync(StoredBlob blob)
    {
        RemoveLocal(blob);
        if (blob.Job is { } job && _ha is not null)
        {
            await _ha.DeleteAsync(job, blob.Key).ConfigureAwait(false);
        }
    }

    private async Task SaveHoldersAsync(StoredBlob blob, CancellationToken cancellation)
    {
        byte[] content = BlobHaMirror.FormatHolders(blob.Holders);
        string path = PathOf(blob.Job, blob.Key) + ".refs";
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        BlobFiles.WriteAtomically(path, content);
        if (_ha is not null)
        {
            await _ha.PutHoldersAsync(blob.Job!.Value, blob.Key, content, cancellation).ConfigureAwait(false);
        }
    }

    private async Task<bool> RestoreAsync(StoredBlob blob, JobId job, CancellationToken cancellation)
    {
        string temporary = NewTemporaryPath();
        try
        {
            Directory.CreateDirectory(Incoming);
            if (await _ha!.CopyAsync(job, blob.Key, temporary, cancellation).ConfigureAwait(false) is not { } copy)
            {
                return false;
            }

            if (copy.Actual != blob.Key)
            {
                _metrics.Corrupted();
                BlobLog.Corrupted(_logger, Describe(job, blob.Key) + " in the HA store " + _ha.Description, copy.Actual.Hex);
                throw new BlobException(BlobError.HashMismatch, $"The HA store's copy of {Describe(job, blob.Key)} is corrupted (its content hashes to {copy.Actual}).");
            }

            string path = PathOf(job, blob.Key);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.Move(temporary, path, overwrite: true);
            blob.Length = copy.Length;
            blob.Local = true;
            BlobLog.Restored(_logger, Describe(job, blob.Key), _ha.Description);
            return true;
        }
        finally
        {
            BlobFiles.TryDelete(temporary);
        }
    }
}
