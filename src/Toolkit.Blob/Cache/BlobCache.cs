using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Toolkit.Blob;

/// <summary>
/// A worker's cache of permanent blobs (Flink's <c>PermanentBlobCache</c>): <see cref="GetAsync"/> returns a local file,
/// downloading it once however many tasks ask at the same time. The cache references each blob it holds on the server
/// under its client's <see cref="BlobClient.HolderId"/> and releases it when the file goes. Jobs are reference-counted
/// (<see cref="RegisterJob"/>, <see cref="ReleaseJob"/>); a job's blobs are kept while it is registered and for
/// <see cref="BlobCacheOptions.Ttl"/> after, and the least recently used blobs are evicted when the cache exceeds its
/// quota. Thread-safe.
/// </summary>
public sealed class BlobCache : IAsyncDisposable
{
    private readonly BlobClient _client;
    private readonly BlobCacheOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly BlobMetrics _metrics;
    private readonly Lock _lock = new();
    private readonly Dictionary<(JobId Job, BlobKey Key), CacheEntry> _entries = [];
    private readonly Dictionary<JobId, CachedJob> _jobs = [];
    private readonly ITimer _cleanup;
    private long _size;

    /// <summary>
    /// A cache in <see cref="BlobCacheOptions.Directory"/> that downloads through <paramref name="client"/>. What an
    /// earlier run left there is kept after it was re-hashed (corrupted files and unfinished downloads are deleted).
    /// </summary>
    public BlobCache(BlobClient client, BlobCacheOptions options, TimeProvider? timeProvider = null, ILoggerFactory? loggerFactory = null, BlobMetrics? metrics = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _client = client;
        _options = options;
        _time = timeProvider ?? TimeProvider.System;
        _logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger("Toolkit.Blob.BlobCache");
        _metrics = metrics ?? new BlobMetrics();
        Root = Path.GetFullPath(options.Directory);
        Recover();
        _cleanup = _time.CreateTimer(_ => _ = CleanupAsync(), null, options.CleanupInterval, options.CleanupInterval);
    }

    /// <summary>The cache's directory.</summary>
    public string Root { get; }

    /// <summary>The bytes of the blobs on disk.</summary>
    public long Size => Interlocked.Read(ref _size);

    /// <summary>How many blobs the cache holds (downloads in progress included).</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _entries.Count;
            }
        }
    }

    /// <summary>A task of <paramref name="job"/> starts: the job's blobs are kept until a matching <see cref="ReleaseJob"/>.</summary>
    public void RegisterJob(JobId job)
    {
        lock (_lock)
        {
            CachedJob state = JobState(job);
            state.References++;
            state.ReleasedAt = null;
        }
    }

    /// <summary>A task of <paramref name="job"/> ended; after the last, the job's blobs are kept for the TTL.</summary>
    public void ReleaseJob(JobId job)
    {
        lock (_lock)
        {
            if (!_jobs.TryGetValue(job, out CachedJob? state) || state.References == 0)
            {
                throw new InvalidOperationException($"Job {job} is not registered with the blob cache: every ReleaseJob needs a RegisterJob before it.");
            }

            if (--state.References == 0)
            {
                state.ReleasedAt = _time.GetUtcNow();
            }
        }
    }

    /// <summary>
    /// The local path of a permanent blob of <paramref name="job"/>, downloaded (verified) when the cache does not have
    /// it. Concurrent requests for one blob share one download. The file must be treated as read-only.
    /// </summary>
    public async Task<string> GetAsync(JobId job, BlobKey key, CancellationToken cancellation = default)
    {
        Task<string>? download = null;
        lock (_lock)
        {
            if (_entries.TryGetValue((job, key), out CacheEntry? entry))
            {
                entry.LastUsed = _time.GetUtcNow();
                if (!entry.Ready)
                {
                    _metrics.CacheHit();
                    download = entry.Download!;
                }
                else if (File.Exists(entry.Path))
                {
                    _metrics.CacheHit();
                    return entry.Path;
                }
                else
                {
                    Forget(entry);
                }
            }

            if (download is null)
            {
                _metrics.CacheMiss();
                CacheEntry created = new(job, key, Path.Combine(Root, "jobs", job.Value, key.Hex)) { LastUsed = _time.GetUtcNow() };
                _entries[(job, key)] = created;
                download = DownloadAsync(created);
                created.Download = download;
            }
        }

        return await download.WaitAsync(cancellation).ConfigureAwait(false);
    }

    /// <summary>Deletes expired blobs now instead of at the next timer tick; returns how many.</summary>
    public async Task<int> CleanupAsync()
    {
        List<CacheEntry> expired = [];
        DateTimeOffset now = _time.GetUtcNow();
        lock (_lock)
        {
            foreach (CacheEntry entry in _entries.Values)
            {
                if (!entry.Ready)
                {
                    continue;
                }

                CachedJob? job = _jobs.GetValueOrDefault(entry.Job);
                if (job is { References: > 0 })
                {
                    continue;
                }

                DateTimeOffset since = job?.ReleasedAt is { } released && released > entry.LastUsed ? released : entry.LastUsed;
                if (since + _options.Ttl <= now)
                {
                    expired.Add(entry);
                }
            }

            foreach (CacheEntry entry in expired)
            {
                Forget(entry);
            }

            foreach ((JobId id, CachedJob job) in _jobs.Where(pair => pair.Value.References == 0 && !_entries.Keys.Any(key => key.Job == pair.Key)).ToList())
            {
                _jobs.Remove(id);
            }
        }

        foreach (CacheEntry entry in expired)
        {
            await EvictAsync(entry, "expired").ConfigureAwait(false);
        }

        return expired.Count;
    }

    /// <summary>Stops the cleanup timer. The files stay for the next run.</summary>
    public ValueTask DisposeAsync()
    {
        _cleanup.Dispose();
        return ValueTask.CompletedTask;
    }

    private CachedJob JobState(JobId job)
    {
        if (!_jobs.TryGetValue(job, out CachedJob? state))
        {
            state = new CachedJob();
            _jobs[job] = state;
        }

        return state;
    }

    private async Task<string> DownloadAsync(CacheEntry entry)
    {
        await Task.Yield();
        try
        {
            long length = await _client.GetAsync(entry.Key, entry.Path, entry.Job).ConfigureAwait(false);
            await _client.ReferenceAsync(entry.Job, entry.Key).ConfigureAwait(false);
            List<CacheEntry> victims;
            lock (_lock)
            {
                entry.Length = length;
                entry.Download = null;
                entry.LastUsed = _time.GetUtcNow();
                Interlocked.Add(ref _size, length);
                victims = OverQuota(entry);
            }

            foreach (CacheEntry victim in victims)
            {
                await EvictAsync(victim, "over quota").ConfigureAwait(false);
            }

            return entry.Path;
        }
        catch
        {
            lock (_lock)
            {
                if (_entries.TryGetValue((entry.Job, entry.Key), out CacheEntry? current) && current == entry)
                {
                    _entries.Remove((entry.Job, entry.Key));
                }
            }

            throw;
        }
    }

    /// <summary>The least recently used blobs to evict so the cache fits its quota; never <paramref name="keep"/> or a download in progress. Under the lock.</summary>
    private List<CacheEntry> OverQuota(CacheEntry keep)
    {
        List<CacheEntry> victims = [];
        if (_options.QuotaBytes <= 0 || Size <= _options.QuotaBytes)
        {
            return victims;
        }

        long excess = Size - _options.QuotaBytes;
        foreach (CacheEntry candidate in _entries.Values.Where(e => e.Ready && e != keep).OrderBy(e => e.LastUsed).ToList())
        {
            if (excess <= 0)
            {
                break;
            }

            victims.Add(candidate);
            excess -= candidate.Length;
            Forget(candidate);
        }

        return victims;
    }

    /// <summary>Removes an entry from the books (under the lock); its file goes in <see cref="EvictAsync"/>.</summary>
    private void Forget(CacheEntry entry)
    {
        _entries.Remove((entry.Job, entry.Key));
        Interlocked.Add(ref _size, -entry.Length);
    }

    private async Task EvictAsync(CacheEntry entry, string reason)
    {
        BlobFiles.TryDelete(entry.Path);
        BlobFiles.TryDeleteEmptyDirectory(Path.GetDirectoryName(entry.Path)!, Root);
        _metrics.CacheEvicted(reason);
        BlobLog.Evicted(_logger, entry.Key.Hex, entry.Job.Value, entry.Length, reason);
        try
        {
            await _client.ReleaseAsync(entry.Job, entry.Key).ConfigureAwait(false);
        }
        catch (BlobException exception)
        {
            BlobLog.ReleaseFailed(_logger, entry.Key.Hex, entry.Job.Value, exception.Message);
        }
    }

    private void Recover()
    {
        string jobs = Path.Combine(Root, "jobs");
        Directory.CreateDirectory(jobs);
        DateTimeOffset now = _time.GetUtcNow();
        foreach (string directory in Directory.EnumerateDirectories(jobs))
        {
            string name = Path.GetFileName(directory);
            if (JobId.Validate(name) is not null)
            {
                continue;
            }

            foreach (string file in Directory.EnumerateFiles(directory))
            {
                string fileName = Path.GetFileName(file);
                (BlobKey Key, long Length) actual = default;
                if (!BlobKey.TryParse(fileName, out BlobKey key) || fileName != key.Hex
                    || (actual = BlobFiles.HashAsync(file, CancellationToken.None).GetAwaiter().GetResult()).Key != key)
                {
                    BlobFiles.TryDelete(file);
                    continue;
                }

                _entries[(new JobId(name), key)] = new CacheEntry(new JobId(name), key, file) { Length = actual.Length, LastUsed = now };
                _size += actual.Length;
            }
        }
    }
}
