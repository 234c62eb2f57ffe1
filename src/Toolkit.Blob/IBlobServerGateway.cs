using Toolkit.Rpc;

namespace Toolkit.Blob;

/// <summary>
/// The blob server's control operations, an RPC gateway (bulk bytes go on transfer connections of their own). Keys
/// are 64 hex digits; a null job id names a transient blob. <see cref="BlobClient"/> wraps it.
/// </summary>
[RpcGateway]
public interface IBlobServerGateway
{
    /// <summary>Where transfers connect, <c>host:port</c>.</summary>
    Task<string> GetTransferAddressAsync();

    /// <summary>Whether the server has the blob, its length and holders.</summary>
    Task<BlobStat> StatAsync(string? jobId, string key);

    /// <summary>Adds <paramref name="holder"/> to a permanent blob's holders; false when there is no such blob.</summary>
    Task<bool> ReferenceAsync(string jobId, string key, string holder);

    /// <summary>Removes <paramref name="holder"/> from a permanent blob's holders; its grace starts when it was the last. False when it held nothing.</summary>
    Task<bool> ReleaseAsync(string jobId, string key, string holder);

    /// <summary>Deletes a blob now, whoever holds it; false when there was none.</summary>
    Task<bool> DeleteAsync(string? jobId, string key);

    /// <summary>Deletes every permanent blob of a job; returns how many.</summary>
    Task<int> DeleteJobAsync(string jobId);
}
