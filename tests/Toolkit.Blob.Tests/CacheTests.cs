using System.Diagnostics.Metrics;
using Microsoft.Extensions.Time.Testing;

namespace Toolkit.Blob.Tests;

public sealed class CacheTests
{
    [Fact]
    public async Task Concurrent_requests_share_one_download_and_the_cache_references_the_blob()
    {
        await using BlobTestHost host = await BlobTestHost.StartAsync();
        JobId job = new("job-1");
        byte[] content = BlobTestHost.RandomBytes(4 * 1024 * 1024);
        BlobKey key = await host.Client(o => o.HolderId = "jm").PutAsync(content, BlobKind.Permanent, job);
        using BlobMetrics metrics = new();
        (long hits, long misses) = (0, 0);
        using MeterListener listener = Listen(metrics, (name, value) =>
        {
            if (name == "toolkit.blob.cache.hits") { Interlocked.Add(ref hits, value); }
            if (name == "toolkit.blob.cache.misses") { Interlocked.Add(ref misses, value); }
        });
        await using BlobCache cache = new(host.Client(o => o.HolderId = "te-1"), new BlobCacheOptions { Directory = Path.Combine(host.Root, "cache") }, metrics: metrics);

        string[] paths = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => cache.GetAsync(job, key)));

        Assert.Single(paths.Distinct());
        Assert.Equal(content, await File.ReadAllBytesAsync(paths[0]));
        Assert.Equal(1, Interlocked.Read(ref misses));
        Assert.Equal(9, Interlocked.Read(ref hits));
        Assert.Equal(2, (await host.Client().StatAsync(key, job)).Holders);
    }

    [Fact]
    public async Task Over_its_quota_the_cache_evicts_the_least_recently_used_blob_and_releases_it()
    {
        await using BlobTestHost host = await BlobTestHost.StartAsync();
        JobId job = new("job-1");
        BlobClient uploader = host.Client(o => o.HolderId = "jm");
        BlobKey[] keys = await Task.WhenAll(Enumerable.Range(0, 4).Select(i => uploader.PutAsync(BlobTestHost.RandomBytes(1024 * 1024, seed: i), BlobKind.Permanent, job)));
        FakeTimeProvider time = BlobTestHost.FakeTime();
        await using BlobCache cache = new(host.Client(o => o.HolderId = "te-1"), new BlobCacheOptions { Directory = Path.Combine(host.Root, "cache"), QuotaBytes = 3 * 1024 * 1024 }, time);

        string a = await cache.GetAsync(job, keys[0]);
        time.Advance(TimeSpan.FromSeconds(1));
        string b = await cache.GetAsync(job, keys[1]);
        time.Advance(TimeSpan.FromSeconds(1));
        string c = await cache.GetAsync(job, keys[2]);
        time.Advance(TimeSpan.FromSeconds(1));
        await cache.GetAsync(job, keys[0]);
        time.Advance(TimeSpan.FromSeconds(1));
        string d = await cache.GetAsync(job, keys[3]);

        Assert.False(File.Exists(b));
        Assert.True(File.Exists(a) && File.Exists(c) && File.Exists(d));
        Assert.Equal(3 * 1024 * 1024, cache.Size);
        Assert.Equal(3, cache.Count);
        Assert.Equal(1, (await uploader.StatAsync(keys[1], job)).Holders);
        Assert.Equal(2, (await uploader.StatAsync(keys[0], job)).Holders);
        Assert.Equal(b, await cache.GetAsync(job, keys[1]));
        Assert.True(File.Exists(b));
    }

    [Fact]
    public async Task A_released_job_keeps_its_blobs_for_the_ttl_then_they_go()
    {
        await using BlobTestHost host = await BlobTestHost.StartAsync();
        JobId job = new("job-2");
        BlobKey key = await host.Client(o => o.HolderId = "jm").PutAsync(new byte[] { 7 }, BlobKind.Permanent, job);
        FakeTimeProvider time = BlobTestHost.FakeTime();
        await using BlobCache cache = new(host.Client(o => o.HolderId = "te-1"), new BlobCacheOptions { Directory = Path.Combine(host.Root, "cache"), Ttl = TimeSpan.FromMinutes(30), CleanupInterval = TimeSpan.FromMinutes(5) }, time);
        cache.RegisterJob(job);
        string path = await cache.GetAsync(job, key);

        time.Advance(TimeSpan.FromHours(2));
        Assert.Equal(0, await cache.CleanupAsync());
        Assert.True(File.Exists(path));

        cache.ReleaseJob(job);
        time.Advance(TimeSpan.FromMinutes(29));
        Assert.Equal(0, await cache.CleanupAsync());
        Assert.True(File.Exists(path));

        // The cleanup timer (every 5 minutes of the fake clock) removes it; the server hears the release.
        time.Advance(TimeSpan.FromMinutes(1));
        await FailureTests.WaitUntilAsync(() => !File.Exists(path));
        await FailureTests.WaitUntilAsync(() => host.Client().StatAsync(key, job).GetAwaiter().GetResult().Holders == 1);
        Assert.Equal(0, cache.Count);
        Assert.Throws<InvalidOperationException>(() => cache.ReleaseJob(job));
    }

    private static MeterListener Listen(BlobMetrics metrics, Action<string, long> measured)
    {
        MeterListener listener = new();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter == metrics.Meter)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, _, _) => measured(instrument.Name, value));
        listener.Start();
        return listener;
    }
}
