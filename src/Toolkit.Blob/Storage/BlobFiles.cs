using System.Security.Cryptography;

namespace Toolkit.Blob;

/// <summary>File helpers shared by the server's store and the cache: hashing, atomic small writes, quiet deletes.</summary>
internal static class BlobFiles
{
    /// <summary>The SHA-256 of a file, read sequentially.</summary>
    public static async Task<(BlobKey Key, long Length)> HashAsync(string path, CancellationToken cancellation)
    {
        await using FileStream file = new(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 0, FileOptions.SequentialScan | FileOptions.Asynchronous);
        using IncrementalHash hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        long length = await HashIntoAsync(file, hash, long.MaxValue, cancellation).ConfigureAwait(false);
        return (BlobKey.FromHash(hash.GetHashAndReset()), length);
    }

    /// <summary>Feeds up to <paramref name="count"/> bytes of <paramref name="source"/> to <paramref name="hash"/>; returns how many there were.</summary>
    public static async Task<long> HashIntoAsync(Stream source, IncrementalHash hash, long count, CancellationToken cancellation)
    {
        byte[] buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(TransferProtocol.BufferSize);
        try
        {
            long total = 0;
            while (total < count)
            {
                int read = await source.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, count - total)), cancellation).ConfigureAwait(false);
                if (read == 0)
                {
                    break;
                }

                hash.AppendData(buffer, 0, read);
                total += read;
            }

            return total;
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Writes a small file through a temporary file, flushed to disk and renamed into place.</summary>
    public static void WriteAtomically(string path, ReadOnlySpan<byte> content)
    {
        string temporary = path + "." + Guid.NewGuid().ToString("n") + ".tmp";
        try
        {
            using (FileStream file = new(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 0))
            {
                file.Write(content);
                file.Flush(flushToDisk: true);
            }

            File.Move(temporary, path, overwrite: true);
        }
        catch
        {
            TryDelete(temporary);
            throw;
        }
    }

    public static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            // Best effort: what is left behind is found by the next start's scan or cleanup.
        }
    }

    public static void TryDeleteEmptyDirectory(string directory, string root)
    {
        try
        {
            if (directory != root && Directory.Exists(directory) && !Directory.EnumerateFileSystemEntries(directory).Any())
            {
                Directory.Delete(directory);
            }
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            // Another upload just created a file there; the directory stays.
        }
    }

    /// <summary>Whether <paramref name="exception"/> says the disk is full (ENOSPC, EDQUOT, or Windows' disk-full errors).</summary>
    public static bool IsDiskFull(IOException exception) => (exception.HResult & 0xFFFF) is 28 or 122 or 112 or 39;

    /// <summary>The free bytes on the disk of <paramref name="directory"/>, or null when the platform cannot tell.</summary>
    public static long? FreeBytes(string directory)
    {
        try
        {
            return new DriveInfo(directory).AvailableFreeSpace;
        }
        catch (Exception exception) when (exception is IOException or ArgumentException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
