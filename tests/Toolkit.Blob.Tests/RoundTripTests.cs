using System.Security.Cryptography;

namespace Toolkit.Blob.Tests;

public sealed class RoundTripTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(64 * 1024)]
    [InlineData(100 * 1024 * 1024)]
    public async Task Permanent_blobs_round_trip_through_files(int length)
    {
        await using BlobTestHost host = await BlobTestHost.StartAsync();
        BlobClient client = host.Client();
        JobId job = new("job-1");
        byte[] content = BlobTestHost.RandomBytes(length);
        string source = host.Temp("source");
        await File.WriteAllBytesAsync(source, content);

        BlobKey key = await client.PutFileAsync(source, BlobKind.Permanent, job);

        Assert.Equal(BlobKey.Compute(content), key);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(content)), key.Hex);
        string destination = host.Temp("copy");
        Assert.Equal(length, await client.GetAsync(key, destination, job));
        byte[] copy = await File.ReadAllBytesAsync(destination);
        Assert.True(content.AsSpan().SequenceEqual(copy));
        Assert.False(File.Exists(destination + ".partial"));
        BlobStat stat = await client.StatAsync(key, job);
        Assert.Equal(new BlobStat(true, length, 1), stat);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(64 * 1024)]
    public async Task Transient_blobs_round_trip_through_memory(int length)
    {
        await using BlobTestHost host = await BlobTestHost.StartAsync();
        BlobClient client = host.Client();
        byte[] content = BlobTestHost.RandomBytes(length, seed: length);

        BlobKey key = await client.PutAsync(content, BlobKind.Transient);

        Assert.Equal(content, await client.GetBytesAsync(key));
    }

    [Fact]
    public async Task Identical_content_shares_one_file_and_concurrent_uploads_of_it_all_succeed()
    {
        await using BlobTestHost host = await BlobTestHost.StartAsync();
        JobId job = new("job-1");
        byte[] content = BlobTestHost.RandomBytes(8 * 1024 * 1024, seed: 7);

        BlobKey[] keys = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => host.Client(o => o.HolderId = $"uploader-{i}").PutAsync(content, BlobKind.Permanent, job)));

        Assert.All(keys, key => Assert.Equal(BlobKey.Compute(content), keys[0]));
        Assert.Single(host.VisibleFiles(), file => !file.EndsWith(".refs", StringComparison.Ordinal));
        Assert.Empty(host.IncomingFiles());
        Assert.Equal(8, (await host.Client().StatAsync(keys[0], job)).Holders);
        Assert.Equal(content, await host.Client().GetBytesAsync(keys[0], job));
    }
}
