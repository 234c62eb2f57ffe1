using System.Buffers.Binary;
using System.IO.Hashing;
using System.Security.Cryptography;
using Microsoft.Win32.SafeHandles;

namespace Toolkit.Blob;

/// <summary>The two transfers: an upload into a temporary file, hashed on the fly; a download, sent as it is read and verified by the client.</summary>
internal sealed partial class TransferHandler
{
    // How many bytes an upload may write between two checks of the disk's free space.
    private const long RoomCheckInterval = 64L * 1024 * 1024;

    private async Task ReceiveUploadAsync(TransferConnection connection, TransferRequest request, CancellationToken cancellation)
    {
        try
        {
            _store.EnsureRoom(0);
        }
        catch (BlobException exception)
        {
            await TrySendStatusAsync(connection, exception.Error, exception.Message).ConfigureAwait(false);
            throw;
        }

        await SendStatusAsync(connection, BlobError.None, null).ConfigureAwait(false);
        string temporary = _store.NewTemporaryPath();

        // One buffer, and no hand-off between threads: each chunk is received, hashed (SHA-256 for the key, XXH128 for
        // the transit check) and written to the temporary file by the same thread, with a synchronous write that only
        // copies into the page cache (the fsync comes once, at the end). On a busy machine every hand-off to another
        // thread waits for a core; measured in docs/blob.md.
        byte[] buffer = new byte[TransferProtocol.MaxChunk];
        long length = 0;
        try
        {
            BlobKey key;
            XxHash128 checksum = new();
            using (IncrementalHash hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256))
            using (SafeFileHandle file = File.OpenHandle(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                long nextRoomCheck = RoomCheckInterval;
                while (true)
                {
                    await ReadUploadAsync(connection, buffer.AsMemory(0, 4), length).ConfigureAwait(false);
                    int chunk = BinaryPrimitives.ReadInt32LittleEndian(buffer);
                    if (chunk == 0)
                    {
                        break;
                    }

                    if (chunk is < 0 or > TransferProtocol.MaxChunk)
                    {
                        throw new BlobException(BlobError.BadRequest, $"the upload from {connection.Peer} announced a chunk of {chunk} bytes; chunks are 1 to {TransferProtocol.MaxChunk} bytes");
                    }

                    await ReadUploadAsync(connection, buffer.AsMemory(0, chunk), length).ConfigureAwait(false);
                    hash.AppendData(buffer, 0, chunk);
                    checksum.Append(buffer.AsSpan(0, chunk));
                    WriteFile(file, buffer.AsSpan(0, chunk), length);
                    length += chunk;
                    _metrics.BytesIn(chunk);
                    if (length >= nextRoomCheck)
                    {
                        _store.EnsureRoom(0);
                        nextRoomCheck += RoomCheckInterval;
                    }
                }

                await ReadUploadAsync(connection, buffer.AsMemory(0, TransferProtocol.ChecksumSize), length).ConfigureAwait(false);
                key = BlobKey.FromHash(hash.GetHashAndReset());
                byte[] received = checksum.GetCurrentHash();
                if (!received.AsSpan().SequenceEqual(buffer.AsSpan(0, TransferProtocol.ChecksumSize)))
                {
                    throw new BlobException(BlobError.HashMismatch,
                        $"the upload from {connection.Peer} was damaged in transit: the client's checksum of its {length} bytes (XXH128 {Convert.ToHexStringLower(buffer.AsSpan(0, TransferProtocol.ChecksumSize))}) differs from the server's ({Convert.ToHexStringLower(received)}); nothing was stored");
                }

                RandomAccess.FlushToDisk(file);
            }

            await _store.CommitAsync(temporary, key, length, request.Kind, request.Job, request.Holder, cancellation)
                .ConfigureAwait(false);
            BlobLog.Stored(_logger, BlobStore.Describe(request.Job, key), length, connection.Peer);
            byte[] reply = new byte[1 + BlobKey.Size];
            key.WriteHash(reply.AsSpan(1));
            await connection.WriteAsync(reply, "confirming the upload").ConfigureAwait(false);
            await connection.FlushAsync().ConfigureAwait(false);
        }
        catch (BlobException exception) when (exception.Error is BlobError.HashMismatch or BlobError.StorageFull)
        {
            await TrySendStatusAsync(connection, exception.Error, exception.Message).ConfigureAwait(false);
            throw;
        }
        finally
        {
            BlobFiles.TryDelete(temporary);
        }
    }

    private static async ValueTask ReadUploadAsync(TransferConnection connection, Memory<byte> destination, long received)
    {
        try
        {
            await connection.ReadExactlyAsync(destination, "receiving an upload").ConfigureAwait(false);
        }
        catch (BlobException exception) when (exception.Error == BlobError.ConnectionLost)
        {
            throw new BlobException(BlobError.Truncated,
                $"the upload from {connection.Peer} ended after {received} bytes without its end marker; nothing was stored", exception);
        }
    }

    private void WriteFile(SafeFileHandle file, ReadOnlySpan<byte> content, long offset)
    {
        try
        {
            RandomAccess.Write(file, content, offset);
        }
        catch (IOException exception) when (BlobFiles.IsDiskFull(exception))
        {
            throw new BlobException(BlobError.StorageFull, $"The blob store {_store.Root} ran out of disk space during an upload; nothing was stored.", exception);
        }
    }

    private async Task SendDownloadAsync(TransferConnection connection, TransferRequest request, CancellationToken cancellation)
    {
        FileStream file;
        long length;
        try
        {
            (file, length) = await _store.OpenReadAsync(request.Job, request.Key, cancellation).ConfigureAwait(false);
        }
        catch (BlobException exception)
        {
            await TrySendStatusAsync(connection, exception.Error, exception.Message).ConfigureAwait(false);
            return;
        }

        // Not pooled: a failed send may leave a file read in flight into the other buffer.
        byte[] first = new byte[TransferProtocol.BufferSize];
        byte[] second = new byte[TransferProtocol.BufferSize];
        await using (file.ConfigureAwait(false))
        {
            {
                if (request.Offset < 0 || request.Offset > length)
                {
                    await SendStatusAsync(connection, BlobError.BadRequest, $"offset {request.Offset} is outside the {length} bytes of {BlobStore.Describe(request.Job, request.Key)}").ConfigureAwait(false);
                    return;
                }

                byte[] header = new byte[1 + 8];
                BinaryPrimitives.WriteInt64LittleEndian(header.AsSpan(1), length);
                await connection.WriteAsync(header, "starting a download").ConfigureAwait(false);
                file.Position = request.Offset;

                // Two buffers: the next read from the file runs while the previous one is sent. The server does not
                // hash what it sends: the client verifies every download and reports a mismatch, which the server
                // then checks against its own file (a client's word alone deletes nothing).
                Task<int> reading = file.ReadAsync(first, cancellation).AsTask();
                while (true)
                {
                    int read = await reading.ConfigureAwait(false);
                    if (read == 0)
                    {
                        break;
                    }

                    reading = file.ReadAsync(second, cancellation).AsTask();
                    await connection.WriteAsync(first.AsMemory(0, read), "sending a download").ConfigureAwait(false);
                    _metrics.BytesOut(read);
                    (first, second) = (second, first);
                }

                await connection.FlushAsync("sending a download").ConfigureAwait(false);
                await connection.ReadExactlyAsync(header.AsMemory(0, 1), "awaiting the client's verdict").ConfigureAwait(false);
                if (header[0] == TransferProtocol.Verified)
                {
                    if (request.Kind == BlobKind.Transient)
                    {
                        await _store.ConfirmReadAsync(request.Key).ConfigureAwait(false);
                    }

                    return;
                }

                file.Position = 0;
                (BlobKey actual, _) = await HashAsync(file, cancellation).ConfigureAwait(false);
                if (actual != request.Key)
                {
                    await _store.DropCorruptedAsync(request.Job, request.Key, actual).ConfigureAwait(false);
                    await SendStatusAsync(connection, BlobError.HashMismatch,
                        $"the blob server found its copy of the {BlobStore.Describe(request.Job, request.Key)} corrupted on its disk (its content hashes to {actual}) and dropped it").ConfigureAwait(false);
                }
                else
                {
                    await SendStatusAsync(connection, BlobError.None, null).ConfigureAwait(false);
                }
            }
        }
    }

    private static async Task<(BlobKey Key, long Length)> HashAsync(FileStream file, CancellationToken cancellation)
    {
        using IncrementalHash hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        long length = await BlobFiles.HashIntoAsync(file, hash, long.MaxValue, cancellation).ConfigureAwait(false);
        return (BlobKey.FromHash(hash.GetHashAndReset()), length);
    }

    private static async ValueTask SendStatusAsync(TransferConnection connection, BlobError status, string? message)
    {
        int length = TransferProtocol.WriteStatus(connection.Scratch, status, message);
        await connection.WriteAsync(connection.Scratch.AsMemory(0, length), "sending a status").ConfigureAwait(false);
        await connection.FlushAsync().ConfigureAwait(false);
    }

    private static async ValueTask TrySendStatusAsync(TransferConnection connection, BlobError status, string message)
    {
        try
        {
            await SendStatusAsync(connection, status, message).ConfigureAwait(false);
        }
        catch (BlobException)
        {
            // The client is gone; it will see a lost connection instead.
        }
    }
}
