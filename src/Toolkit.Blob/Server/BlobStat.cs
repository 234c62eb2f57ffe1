namespace Toolkit.Blob;

/// <summary>What the server holds under a key: whether it exists, its length, and its holders (permanent blobs).</summary>
/// <param name="Exists">Whether the server has the blob.</param>
/// <param name="Length">Its length in bytes; -1 when unknown (kept only in the HA store so far) or missing.</param>
/// <param name="Holders">How many holders reference it (permanent blobs); for a transient blob, how many reads it awaits.</param>
public sealed record BlobStat(bool Exists, long Length, int Holders);
