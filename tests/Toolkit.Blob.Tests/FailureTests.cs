using Toolkit.Rpc;

namespace Toolkit.Blob.Tests;

public sealed class FailureTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_connection_dropped_mid_upload_leaves_no_visible_blob()
    {
        await using BlobTestHost host = await BlobTestHost.StartAsync();
        BlobClient client = host.Client(o => o.MaxAttempts = 1);
        StallingStream source = new(before: 3 * 1024 * 1024);
        using CancellationTokenSource drop = new();

        Task<BlobKey> upload = client.PutAsync(source, BlobKind.Permanent, new JobId("job-1"), drop.Token);
        await source.Stalled.Task.WaitAsync(Bound);
        await WaitUntilAsync(() => host.IncomingFiles().Count == 1 && new FileInfo(host.IncomingFiles()[0]).Length >= 2 * 1024 * 1024);
        Assert.Empty(host.VisibleFiles());

        await drop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => upload);
        await WaitUntilAsync(() => host.IncomingFiles().Count == 0);
        Assert.Empty(host.VisibleFiles());
    }

    [Fact]
    public async Task A_truncated_upload_and_a_hash_mismatch_are_refused_and_nothing_is_stored()
    {
        await using BlobTestHost host = await BlobTestHost.StartAsync();
        byte[] content = BlobTestHost.RandomBytes(100_000);

        await using (RawTransfer lying = await RawTransfer.OpenAsync(host.Server.TransferAddress, 1, 2, "job-1"))
        {
            Assert.Equal(0, (await lying.ReadStatusAsync()).Status);
            await lying.SendChunkAsync(content);
            await lying.EndAsync(BlobTestHost.RandomBytes(16, seed: 5));
            (byte status, string message) = await lying.ReadStatusAsync();
            Assert.Equal((byte)BlobError.HashMismatch, status);
            Assert.Contains("damaged in transit", message, StringComparison.Ordinal);
        }

        await using (RawTransfer truncated = await RawTransfer.OpenAsync(host.Server.TransferAddress, 1, 2, "job-1"))
        {
            Assert.Equal(0, (await truncated.ReadStatusAsync()).Status);
            await truncated.SendChunkAsync(content);
        }

        await WaitUntilAsync(() => host.IncomingFiles().Count == 0);
        Assert.Empty(host.VisibleFiles());
        Assert.False((await host.Client().StatAsync(BlobKey.Compute(content), new JobId("job-1"))).Exists);
    }

    [Fact]
    public async Task A_client_that_stalls_mid_upload_is_timed_out_by_the_server_clock()
    {
        Microsoft.Extensions.Time.Testing.FakeTimeProvider time = BlobTestHost.FakeTime();
        await using BlobTestHost host = await BlobTestHost.StartAsync(o => o.IdleTimeout = TimeSpan.FromSeconds(30), time);
        BlobClient client = host.Client(o => o.MaxAttempts = 1);
        StallingStream source = new(before: 1024 * 1024 + 5);
        using CancellationTokenSource end = new();

        Task<BlobKey> upload = client.PutAsync(source, BlobKind.Transient, cancellation: end.Token);
        await source.Stalled.Task.WaitAsync(Bound);
        await WaitUntilAsync(() => host.IncomingFiles().Count == 1 && new FileInfo(host.IncomingFiles()[0]).Length == 1024 * 1024);
        time.Advance(TimeSpan.FromSeconds(29));
        await Task.Delay(100);
        Assert.Single(host.IncomingFiles());

        // The server arms its idle timer when it starts each read, a moment after the chunk reached the file: step
        // the clock on until the upload is abandoned.
        for (int second = 0; second < 60 && host.IncomingFiles().Count > 0; second++)
        {
            time.Advance(TimeSpan.FromSeconds(1));
            await Task.Delay(20);
        }

        await WaitUntilAsync(() => host.IncomingFiles().Count == 0);
        Assert.Empty(host.VisibleFiles());
        await end.CancelAsync();
        await Assert.ThrowsAnyAsync<Exception>(() => upload);
    }

    [Fact]
    public async Task A_flipped_byte_on_disk_is_detected_on_read()
    {
        await using BlobTestHost host = await BlobTestHost.StartAsync();
        BlobClient client = host.Client(o => o.MaxAttempts = 1);
        JobId job = new("job-1");
        BlobKey key = await client.PutAsync(BlobTestHost.RandomBytes(200_000), BlobKind.Permanent, job);
        FlipByte(Path.Combine(host.Directory, "jobs", "job-1", key.Hex), 123_456);

        BlobException error = await Assert.ThrowsAsync<BlobException>(() => client.GetAsync(key, host.Temp("copy"), job));

        Assert.Equal(BlobError.HashMismatch, error.Error);
        Assert.Contains("corrupted", error.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(host.Temp("copy")));
        Assert.False(File.Exists(host.Temp("copy") + ".partial"));
        Assert.False((await client.StatAsync(key, job)).Exists);
        Assert.False(File.Exists(Path.Combine(host.Directory, "jobs", "job-1", key.Hex)));
    }

    [Fact]
    public async Task A_flipped_byte_on_disk_is_detected_at_start_and_the_blob_dropped()
    {
        await using BlobTestHost host = await BlobTestHost.StartAsync();
        BlobClient client = host.Client(o => o.MaxAttempts = 1);
        JobId job = new("job-1");
        BlobKey bad = await client.PutAsync(BlobTestHost.RandomBytes(50_000, seed: 1), BlobKind.Permanent, job);
        BlobKey good = await client.PutAsync(BlobTestHost.RandomBytes(50_000, seed: 2), BlobKind.Permanent, job);
        FlipByte(Path.Combine(host.Directory, "jobs", "job-1", bad.Hex), 0);

        await host.RestartAsync();

        Assert.False((await client.StatAsync(bad, job)).Exists);
        Assert.False(File.Exists(Path.Combine(host.Directory, "jobs", "job-1", bad.Hex)));
        Assert.Equal(new BlobStat(true, 50_000, 1), await client.StatAsync(good, job));
        Assert.Equal(BlobError.NotFound, (await Assert.ThrowsAsync<BlobException>(() => client.GetBytesAsync(bad, job))).Error);
    }

    [Fact]
    public async Task The_server_restarted_mid_download_and_the_client_resumes_to_a_verified_file()
    {
        await using BlobTestHost host = await BlobTestHost.StartAsync();
        JobId job = new("job-1");
        byte[] content = BlobTestHost.RandomBytes(48 * 1024 * 1024, seed: 3);
        BlobKey key = await host.Client().PutAsync(content, BlobKind.Permanent, job);
        await using TcpProxy proxy = new(host.Server.TransferAddress, bytesPerSecond: 24 * 1024 * 1024);
        BlobClient client = host.Client(o =>
        {
            o.TransferAddress = proxy.Address;
            o.MaxAttempts = 10;
        });
        string destination = host.Temp("copy");

        Task<long> download = client.GetAsync(key, destination, job);
        await WaitUntilAsync(() => File.Exists(destination + ".partial") && new FileInfo(destination + ".partial").Length >= 16 * 1024 * 1024);
        await host.RestartAsync();

        Assert.Equal(content.Length, await download.WaitAsync(Bound));
        byte[] copy = await File.ReadAllBytesAsync(destination);
        Assert.True(copy.AsSpan().SequenceEqual(content));
        Assert.True(proxy.Downstream.Count >= 2);
        long resumed = proxy.Downstream.Last().Value;
        Assert.True(resumed < content.Length - (16 * 1024 * 1024), $"the last connection carried {resumed} bytes: the download started over instead of resuming");
    }

    [Fact]
    public async Task Beyond_the_running_transfers_and_the_backlog_the_server_answers_busy()
    {
        await using BlobTestHost host = await BlobTestHost.StartAsync(o =>
        {
            o.MaxConcurrentTransfers = 1;
            o.MaxBacklog = 1;
        });
        BlobClient client = host.Client(o => o.MaxAttempts = 1);
        using CancellationTokenSource end = new();
        StallingStream running = new(before: 1000);
        Task first = client.PutAsync(running, BlobKind.Transient, cancellation: end.Token);
        await running.Stalled.Task.WaitAsync(Bound);
        Task second = client.PutAsync(new StallingStream(1000), BlobKind.Transient, cancellation: end.Token);
        TransferAdmission admission = host.Server.Endpoint.Server.Admission;
        await WaitUntilAsync(() => admission.Waiting == 1);

        BlobException busy = await Assert.ThrowsAsync<BlobException>(() => client.PutAsync(new byte[10], BlobKind.Transient));

        Assert.Equal(BlobError.Busy, busy.Error);
        Assert.True(busy.IsRetryable);
        Assert.Contains("busy: 1 transfers running and 1 waiting", busy.Message, StringComparison.Ordinal);
        await end.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => first);
        await Assert.ThrowsAnyAsync<Exception>(() => second);
        await WaitUntilAsync(() => admission.Running == 0 && admission.Waiting == 0);
        BlobKey key = await client.PutAsync(new byte[10], BlobKind.Transient);
        Assert.Equal(new byte[10], await client.GetBytesAsync(key));
    }

    [Fact]
    public async Task Path_traversal_in_job_ids_and_keys_is_refused_everywhere()
    {
        await using BlobTestHost host = await BlobTestHost.StartAsync();
        Assert.Throws<ArgumentException>(() => new JobId("../etc"));
        Assert.Throws<ArgumentException>(() => new JobId("a/b"));
        Assert.Throws<ArgumentException>(() => new JobId(".."));
        Assert.Throws<FormatException>(() => BlobKey.Parse("../../etc/passwd"));
        Assert.Throws<FormatException>(() => BlobKey.Parse(new string('a', 63) + "/"));

        RpcRemoteException control = await Assert.ThrowsAsync<RpcRemoteException>(() => host.Client().Server.DeleteJobAsync("../../server"));
        Assert.Contains("'../../server' starts with '.'", control.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<RpcRemoteException>(() => host.Client().Server.StatAsync("job", "../" + new string('a', 61)));

        foreach (string job in new[] { "../../outside", "a/../../b", "x\\..\\y" })
        {
            await using RawTransfer raw = await RawTransfer.OpenAsync(host.Server.TransferAddress, 1, 2, job);
            (byte status, string message) = await raw.ReadStatusAsync();
            Assert.Equal((byte)BlobError.BadRequest, status);
            Assert.Contains("job id", message, StringComparison.Ordinal);
        }

        Assert.Empty(host.VisibleFiles());
        Assert.DoesNotContain(Directory.EnumerateFileSystemEntries(host.Root), path => !path.EndsWith("server", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_full_disk_refuses_the_upload_with_a_clear_error_and_stores_nothing()
    {
        await using BlobTestHost host = await BlobTestHost.StartAsync(o => o.MinFreeBytes = long.MaxValue / 2);
        BlobException full = await Assert.ThrowsAsync<BlobException>(() => host.Client().PutAsync(new byte[1000], BlobKind.Transient));

        Assert.Equal(BlobError.StorageFull, full.Error);
        Assert.False(full.IsRetryable);
        Assert.Contains("is full", full.Message, StringComparison.Ordinal);
        Assert.Empty(host.VisibleFiles());
        Assert.Empty(host.IncomingFiles());
    }

    [Fact]
    public async Task Different_shared_secrets_are_refused_and_the_same_secret_works()
    {
        await using BlobTestHost host = await BlobTestHost.StartAsync(secret: "s3cret");
        BlobKey key = await host.Client().PutAsync(new byte[] { 1, 2, 3 }, BlobKind.Transient);
        Assert.Equal(new byte[] { 1, 2, 3 }, await host.Client().GetBytesAsync(key));

        BlobException wrong = await Assert.ThrowsAsync<BlobException>(() => host.Client(o => o.SharedSecret = "other").PutAsync(new byte[1], BlobKind.Transient));
        Assert.Equal(BlobError.Refused, wrong.Error);
        Assert.Contains("the secrets differ", wrong.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Backoff_doubles_up_to_its_cap_with_the_jittered_share_random()
    {
        BlobClient client = new(new UnusedGateway(), new BlobClientOptions { InitialBackoff = TimeSpan.FromMilliseconds(100), MaxBackoff = TimeSpan.FromSeconds(1), Jitter = 0.5 });
        for (int i = 0; i < 200; i++)
        {
            Assert.InRange(client.Backoff(1).TotalMilliseconds, 50, 100);
            Assert.InRange(client.Backoff(3).TotalMilliseconds, 200, 400);
            Assert.InRange(client.Backoff(10).TotalMilliseconds, 500, 1000);
        }

        Assert.True(Enumerable.Range(0, 50).Select(_ => client.Backoff(2)).Distinct().Count() > 10);
    }

    internal static void FlipByte(string path, long position)
    {
        using FileStream file = new(path, FileMode.Open, FileAccess.ReadWrite);
        file.Position = position;
        int value = file.ReadByte();
        file.Position = position;
        file.WriteByte((byte)(value ^ 0x01));
    }

    internal static async Task WaitUntilAsync(Func<bool> condition)
    {
        using CancellationTokenSource timeout = new(Bound);
        while (!condition())
        {
            await Task.Delay(10, timeout.Token);
        }
    }

    private sealed class UnusedGateway : IBlobServerGateway
    {
        public Task<string> GetTransferAddressAsync() => throw new NotSupportedException();

        public Task<BlobStat> StatAsync(string? jobId, string key) => throw new NotSupportedException();

        public Task<bool> ReferenceAsync(string jobId, string key, string holder) => throw new NotSupportedException();

        public Task<bool> ReleaseAsync(string jobId, string key, string holder) => throw new NotSupportedException();

        public Task<bool> DeleteAsync(string? jobId, string key) => throw new NotSupportedException();

        public Task<int> DeleteJobAsync(string jobId) => throw new NotSupportedException();
    }
}
