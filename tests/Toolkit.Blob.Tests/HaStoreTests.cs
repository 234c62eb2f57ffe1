using Toolkit.Rpc;

namespace Toolkit.Blob.Tests;

/// <summary>
/// A standby's blob server, started before the leader took uploads in, serves them through the shared HA store once
/// it leads: it learns a permanent blob it does not know from the HA store, verifies it and installs it locally;
/// a corrupted HA copy is refused, never served.
/// </summary>
public sealed class HaStoreTests
{
    [Fact]
    public async Task A_standby_started_before_the_uploads_serves_them_from_the_HA_store()
    {
        await using Pair pair = await Pair.StartAsync();
        BlobClient leader = pair.Leader.Client(o => o.HolderId = "submitter");
        JobId job = new("job-ha-1");
        byte[] first = BlobTestHost.RandomBytes(3 * 1024 * 1024, seed: 11);
        byte[] second = BlobTestHost.RandomBytes(1000, seed: 12);
        BlobKey firstKey = await leader.PutAsync(first, BlobKind.Permanent, job);
        BlobKey secondKey = await leader.PutAsync(second, BlobKind.Permanent, job);
        BlobClient standby = pair.StandbyClient(o => o.HolderId = "executor-1");

        // The standby never heard of these uploads: it finds them in the HA store, with the uploader as holder.
        Assert.Equal(new BlobStat(true, -1, 1), await standby.StatAsync(firstKey, job));
        Assert.Equal(first, await standby.GetBytesAsync(firstKey, job));
        string installed = Path.Combine(pair.StandbyDirectory, "jobs", job.Value, firstKey.Hex);
        Assert.Equal(first, await File.ReadAllBytesAsync(installed));
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(pair.StandbyDirectory, "incoming")));
        Assert.Equal(new BlobStat(true, first.Length, 1), await standby.StatAsync(firstKey, job));
        Assert.True(await standby.ReferenceAsync(job, firstKey));
        Assert.Equal(2, (await standby.StatAsync(firstKey, job)).Holders);

        // The job's cleanup on the standby removes what it never read too, in the HA store as well.
        Assert.Equal(2, await standby.DeleteJobAsync(job));
        Assert.False((await standby.StatAsync(secondKey, job)).Exists);
        Assert.Empty(Directory.EnumerateFiles(pair.HaDirectory, "*", SearchOption.AllDirectories));
        Assert.False(File.Exists(installed));
    }

    [Fact]
    public async Task A_corrupted_HA_copy_is_refused_with_an_error_that_says_so_and_nothing_is_installed()
    {
        await using Pair pair = await Pair.StartAsync();
        JobId job = new("job-ha-2");
        BlobKey key = await pair.Leader.Client().PutAsync(BlobTestHost.RandomBytes(200_000, seed: 13), BlobKind.Permanent, job);
        string copy = Path.Combine(pair.HaDirectory, "jobs", job.Value, key.Hex);
        byte[] damaged = await File.ReadAllBytesAsync(copy);
        damaged[100_000] ^= 0xFF;
        await File.WriteAllBytesAsync(copy, damaged);
        BlobClient standby = pair.StandbyClient(o => o.MaxAttempts = 1);
        string destination = Path.Combine(pair.StandbyDirectory, "..", "download");

        BlobException refused = await Assert.ThrowsAsync<BlobException>(() => standby.GetAsync(key, destination, job));

        Assert.Equal(BlobError.HashMismatch, refused.Error);
        Assert.Contains($"The HA store's copy of permanent blob {key} of job {job} is corrupted", refused.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(destination));
        Assert.False(File.Exists(Path.Combine(pair.StandbyDirectory, "jobs", job.Value, key.Hex)));
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(pair.StandbyDirectory, "incoming")));
    }

    /// <summary>A leader's blob server (<see cref="BlobTestHost"/>) and a standby's on a service of its own, started first, sharing one HA directory.</summary>
    private sealed class Pair : IAsyncDisposable
    {
        private readonly RpcService _standbyRpc;
        private readonly BlobServer _standby;

        private Pair(BlobTestHost leader, RpcService standbyRpc, BlobServer standby, string haDirectory, string standbyDirectory)
        {
            Leader = leader;
            _standbyRpc = standbyRpc;
            _standby = standby;
            HaDirectory = haDirectory;
            StandbyDirectory = standbyDirectory;
        }

        public BlobTestHost Leader { get; }

        public string HaDirectory { get; }

        public string StandbyDirectory { get; }

        public static async Task<Pair> StartAsync()
        {
            string root = BlobTestHost.NewDirectory();
            string ha = Path.Combine(root, "ha");
            string standbyDirectory = Path.Combine(root, "standby");
            RpcService standbyRpc = await RpcService.StartAsync(new RpcServiceOptions { Listen = "127.0.0.1:0" });
            BlobServer standby = await BlobServer.StartAsync(standbyRpc, new BlobServerOptions { Directory = standbyDirectory, HaDirectory = ha, MinFreeBytes = 0 });
            BlobTestHost leader = await BlobTestHost.StartAsync(o => o.HaDirectory = ha);
            return new Pair(leader, standbyRpc, standby, ha, standbyDirectory);
        }

        public BlobClient StandbyClient(Action<BlobClientOptions>? configure = null)
        {
            BlobClientOptions options = new() { InitialBackoff = TimeSpan.FromMilliseconds(20), MaxBackoff = TimeSpan.FromMilliseconds(200) };
            configure?.Invoke(options);
            return BlobClient.Create(Leader.ClientRpc, _standby.Address!, options);
        }

        public async ValueTask DisposeAsync()
        {
            await _standby.DisposeAsync();
            await _standbyRpc.DisposeAsync();
            await Leader.DisposeAsync();
            Directory.Delete(Path.GetDirectoryName(HaDirectory)!, recursive: true);
        }
    }
}
