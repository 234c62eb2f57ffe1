namespace Toolkit.Blob;

/// <summary>What <c>AddBlobCache</c> needs: the server's address, the client's and the cache's settings.</summary>
public sealed class BlobCacheSettings
{
    /// <summary>The blob server endpoint's address, <c>rpc://host:port/blobserver</c>. Required.</summary>
    public string ServerAddress { get; set; } = "";

    /// <summary>The client's settings (give <see cref="BlobClientOptions.HolderId"/> a stable value: the worker's id).</summary>
    public BlobClientOptions Client { get; set; } = new();

    /// <summary>The cache's settings.</summary>
    public BlobCacheOptions Cache { get; set; } = new();

    /// <summary>Throws an <see cref="ArgumentException"/> naming the first setting that cannot work.</summary>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(ServerAddress) || !ServerAddress.StartsWith("rpc://", StringComparison.Ordinal))
        {
            throw new ArgumentException($"'{ServerAddress}' is not a blob server address: write rpc://host:port/blobserver.", nameof(ServerAddress));
        }

        Client.Validate();
        Cache.Validate();
    }
}
