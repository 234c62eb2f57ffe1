using Microsoft.Extensions.Time.Testing;

namespace Toolkit.Blob.Tests;

public sealed class LifetimeTests
{
    [Fact]
    public async Task A_transient_blob_is_deleted_after_its_first_confirmed_read()
    {
        await using BlobTestHost host = await BlobTestHost.StartAsync();
        BlobClient client = host.Client(o => o.MaxAttempts = 1);
        BlobKey key = await client.PutAsync(BlobTestHost.RandomBytes(300_000), BlobKind.Transient);
        Assert.True((await client.StatAsync(key)).Exists);

        await client.GetAsync(key, host.Temp("once"));

        await FailureTests.WaitUntilAsync(() => !client.StatAsync(key).GetAwaiter().GetResult().Exists);
        Assert.Empty(host.VisibleFiles());
        BlobException again = await Assert.ThrowsAsync<BlobException>(() => client.GetBytesAsync(key));
        Assert.Equal(BlobError.NotFound, again.Error);
        Assert.Contains("already read", again.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unread_transient_blob_expires()
    {
        FakeTimeProvider time = BlobTestHost.FakeTime();
        await using BlobTestHost host = await BlobTestHost.StartAsync(o =>
        {
            o.TransientTtl = TimeSpan.FromMinutes(10);
            o.CleanupInterval = TimeSpan.FromMinutes(10);
        }, time);
        BlobClient client = host.Client();
        BlobKey key = await client.PutAsync(new byte[] { 42 }, BlobKind.Transient);

        time.Advance(TimeSpan.FromMinutes(9));
        await host.Server.Endpoint.CleanupAsync();
        Assert.True((await client.StatAsync(key)).Exists);

        time.Advance(TimeSpan.FromMinutes(11));
        await FailureTests.WaitUntilAsync(() => !client.StatAsync(key).GetAwaiter().GetResult().Exists);
        Assert.Empty(host.VisibleFiles());
    }

    [Fact]
    public async Task A_permanent_blob_is_kept_while_referenced_and_removed_after_release_plus_grace()
    {
        FakeTimeProvider time = BlobTestHost.FakeTime();
        TimeSpan interval = TimeSpan.FromMinutes(10);
        await using BlobTestHost host = await BlobTestHost.StartAsync(o =>
        {
            o.CleanupInterval = interval;
            o.ReleaseGrace = interval;
        }, time);
        BlobClient uploader = host.Client(o => o.HolderId = "job-master");
        JobId job = new("job-7");
        BlobKey key = await uploader.PutAsync(BlobTestHost.RandomBytes(10_000), BlobKind.Permanent, job);
        Assert.True(await uploader.ReferenceAsync(job, key, "task-executor-1"));
        Assert.Equal(2, (await uploader.StatAsync(key, job)).Holders);

        Assert.True(await uploader.ReleaseAsync(job, key));
        time.Advance(interval * 5);
        await host.Server.Endpoint.CleanupAsync();
        Assert.Equal(new BlobStat(true, 10_000, 1), await uploader.StatAsync(key, job));

        Assert.True(await uploader.ReleaseAsync(job, key, "task-executor-1"));
        Assert.False(await uploader.ReleaseAsync(job, key, "task-executor-1"));
        time.Advance(interval - TimeSpan.FromSeconds(1));
        await host.Server.Endpoint.CleanupAsync();
        Assert.True((await uploader.StatAsync(key, job)).Exists);

        // The timers fire as the fake clock moves: within two cleanup intervals of the release the blob is gone.
        time.Advance(interval);
        time.Advance(interval);
        await FailureTests.WaitUntilAsync(() => !uploader.StatAsync(key, job).GetAwaiter().GetResult().Exists);
        Assert.Empty(host.VisibleFiles());
    }

    [Fact]
    public async Task Holders_survive_a_restart_and_deleting_a_job_removes_its_blobs()
    {
        await using BlobTestHost host = await BlobTestHost.StartAsync();
        BlobClient client = host.Client(o => o.HolderId = "jm");
        JobId job = new("job-8");
        BlobKey first = await client.PutAsync(new byte[] { 1 }, BlobKind.Permanent, job);
        BlobKey second = await client.PutAsync(new byte[] { 2 }, BlobKind.Permanent, job);
        Assert.True(await client.ReferenceAsync(job, first, "te-1"));

        await host.RestartAsync();

        Assert.Equal(2, (await client.StatAsync(first, job)).Holders);
        Assert.Equal(2, await client.DeleteJobAsync(job));
        Assert.False((await client.StatAsync(second, job)).Exists);
        Assert.Empty(host.VisibleFiles());
    }

    [Fact]
    public async Task A_new_leader_serves_what_its_predecessor_took_in_through_the_shared_directory()
    {
        string shared = BlobTestHost.NewDirectory();
        await using BlobTestHost host = await BlobTestHost.StartAsync(o => o.HaDirectory = shared);
        BlobClient client = host.Client(o => o.HolderId = "jm");
        JobId job = new("job-9");
        byte[] content = BlobTestHost.RandomBytes(2 * 1024 * 1024, seed: 9);
        BlobKey key = await client.PutAsync(content, BlobKind.Permanent, job);

        // The successor has a directory of its own (another machine) and the same shared directory.
        await host.RestartAsync(change: o => o.Directory = Path.Combine(host.Root, "successor"));

        Assert.Equal(new BlobStat(true, -1, 1), await client.StatAsync(key, job));
        Assert.Equal(content, await client.GetBytesAsync(key, job));
        Assert.Equal(content.Length, (await client.StatAsync(key, job)).Length);
        Assert.True(File.Exists(Path.Combine(host.Root, "successor", "jobs", "job-9", key.Hex)));

        Assert.True(await client.DeleteAsync(key, job));
        Assert.Empty(Directory.EnumerateFiles(shared, "*", SearchOption.AllDirectories));
    }
}
