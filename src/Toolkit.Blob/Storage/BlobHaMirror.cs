using System.Security.Cryptography;
using System.Text;

namespace Toolkit.Blob;

/// <summary>
/// The server's permanent blobs as mirrored in the HA store: each blob's content under <c>jobs/{job}/{key}</c> and its
/// holders under <c>jobs/{job}/{key}.refs</c>. Knows the names and the formats; what the server knows of its blobs
/// stays in <see cref="BlobStore"/>.
/// </summary>
internal sealed class BlobHaMirror(IBlobHaStore store)
{
    private const string HoldersSuffix = ".refs";

    /// <summary>Where the HA store is, for messages.</summary>
    public string Description => store.Description;

    /// <summary>The holders of a blob as the server writes them, one per line, in order.</summary>
    public static byte[] FormatHolders(IEnumerable<string> holders) =>
        Encoding.UTF8.GetBytes(string.Join('\n', holders.Order(StringComparer.Ordinal)));

    public static HashSet<string> ParseHolders(byte[] content) =>
        [.. Encoding.UTF8.GetString(content).Split('\n', StringSplitOptions.RemoveEmptyEntries)];

    /// <summary>Mirrors a verified upload's content before it becomes visible.</summary>
    public async Task PutContentAsync(JobId job, BlobKey key, string file, CancellationToken cancellation)
    {
        await using FileStream source = new(file, FileMode.Open, FileAccess.Read, FileShare.Read, 0, FileOptions.SequentialScan);
        await store.PutAsync(NameOf(job, key), source, cancellation).ConfigureAwait(false);
    }

    public async Task PutHoldersAsync(JobId job, BlobKey key, byte[] content, CancellationToken cancellation)
    {
        using MemoryStream stream = new(content);
        await store.PutAsync(NameOf(job, key) + HoldersSuffix, stream, cancellation).ConfigureAwait(false);
    }

    /// <summary>Whether the HA store has the blob's content.</summary>
    public async Task<bool> HasContentAsync(JobId job, BlobKey key, CancellationToken cancellation)
    {
        Stream? content = await store.OpenReadAsync(NameOf(job, key), cancellation).ConfigureAwait(false);
        if (content is null)
        {
            return false;
        }

        await content.DisposeAsync().ConfigureAwait(false);
        return true;
    }

    /// <summary>The blob's holders as the HA store has them; empty when it has none written.</summary>
    public Task<HashSet<string>> ReadHoldersAsync(JobId job, BlobKey key, CancellationToken cancellation) =>
        ReadHoldersAsync(NameOf(job, key) + HoldersSuffix, cancellation);

    /// <summary>
    /// Copies the blob's content to <paramref name="temporary"/>, hashed on the way and flushed to disk, and returns
    /// its length and the key its content hashes to, or null when the HA store does not have it. The caller compares
    /// the key and renames the file into place.
    /// </summary>
    public async Task<(long Length, BlobKey Actual)?> CopyAsync(JobId job, BlobKey key, string temporary, CancellationToken cancellation)
    {
        Stream? source = await store.OpenReadAsync(NameOf(job, key), cancellation).ConfigureAwait(false);
        if (source is null)
        {
            return null;
        }

        using IncrementalHash hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        await using (source.ConfigureAwait(false))
        await using (FileStream file = new(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 0))
        {
            byte[] buffer = new byte[TransferProtocol.BufferSize];
            int read;
            while ((read = await source.ReadAsync(buffer, cancellation).ConfigureAwait(false)) > 0)
            {
                hash.AppendData(buffer, 0, read);
                await file.WriteAsync(buffer.AsMemory(0, read), cancellation).ConfigureAwait(false);
            }

            file.Flush(flushToDisk: true);
            return (file.Length, BlobKey.FromHash(hash.GetHashAndReset()));
        }
    }

    /// <summary>Deletes the blob's content and holders.</summary>
    public async Task DeleteAsync(JobId job, BlobKey key)
    {
        await store.DeleteAsync(NameOf(job, key), CancellationToken.None).ConfigureAwait(false);
        await store.DeleteAsync(NameOf(job, key) + HoldersSuffix, CancellationToken.None).ConfigureAwait(false);
    }

    /// <summary>Deletes everything the HA store holds of <paramref name="job"/>; returns how many blobs' contents went.</summary>
    public async Task<int> DeleteJobAsync(JobId job)
    {
        int deleted = 0;
        foreach (string name in await store.ListAsync($"jobs/{job.Value}/", CancellationToken.None).ConfigureAwait(false))
        {
            await store.DeleteAsync(name, CancellationToken.None).ConfigureAwait(false);
            if (!name.EndsWith(HoldersSuffix, StringComparison.Ordinal))
            {
                deleted++;
            }
        }

        return deleted;
    }

    /// <summary>
    /// Every permanent blob the HA store has content or holders for, with the holders where written. Entries whose
    /// names are not a valid job id and key are passed over.
    /// </summary>
    public async Task<List<(JobId Job, BlobKey Key, bool HasContent, HashSet<string>? Holders)>> ListAsync(CancellationToken cancellation)
    {
        Dictionary<(JobId Job, BlobKey Key), (bool HasContent, HashSet<string>? Holders)> found = [];
        foreach (string name in await store.ListAsync("jobs/", cancellation).ConfigureAwait(false))
        {
            string[] parts = name.Split('/');
            bool isHolders = parts.Length == 3 && parts[2].EndsWith(HoldersSuffix, StringComparison.Ordinal);
            string keyText = isHolders ? parts[2][..^HoldersSuffix.Length] : parts.Length == 3 ? parts[2] : "";
            if (parts.Length != 3 || JobId.Validate(parts[1]) is not null || !BlobKey.TryParse(keyText, out BlobKey key))
            {
                continue;
            }

            (JobId, BlobKey) entry = (new JobId(parts[1]), key);
            (bool hasContent, HashSet<string>? holders) = found.GetValueOrDefault(entry);
            found[entry] = isHolders
                ? (hasContent, await ReadHoldersAsync(name, cancellation).ConfigureAwait(false))
                : (true, holders);
        }

        return [.. found.Select(pair => (pair.Key.Job, pair.Key.Key, pair.Value.HasContent, pair.Value.Holders))];
    }

    private static string NameOf(JobId job, BlobKey key) => $"jobs/{job.Value}/{key.Hex}";

    private async Task<HashSet<string>> ReadHoldersAsync(string name, CancellationToken cancellation)
    {
        Stream? refs = await store.OpenReadAsync(name, cancellation).ConfigureAwait(false);
        if (refs is null)
        {
            return [];
        }

        await using (refs.ConfigureAwait(false))
        {
            using MemoryStream content = new();
            await refs.CopyToAsync(content, cancellation).ConfigureAwait(false);
            return ParseHolders(content.ToArray());
        }
    }
}
