using System.Buffers.Binary;
using System.IO.Hashing;
using System.Security.Cryptography;
using System.Text;

namespace Toolkit.Blob;

/// <summary>One attempt of each transfer, on a connection of its own.</summary>
public sealed partial class BlobClient
{
    private async Task<BlobKey> UploadAsync(Stream content, BlobKind kind, JobId? job, CancellationToken cancellation)
    {
        await using TransferConnection connection = await OpenAsync(TransferOperation.Put, kind, job, BlobKey.Empty, 0, cancellation).ConfigureAwait(false);
        XxHash128 checksum = new();
        try
        {
            // A file opened for synchronous reads (PutFileAsync) is read inline, into one buffer, with no hand-off to
            // another thread. Any other stream gets two buffers: the next read runs while one is sent. Each buffer has
            // room for its chunk's length.
            bool inline = content is FileStream { IsAsync: false };
            byte[] first = new byte[4 + TransferProtocol.MaxChunk];
            byte[] second = inline ? [] : new byte[4 + TransferProtocol.MaxChunk];
            Task<int> reading = inline ? Task.FromResult(ReadChunk(content, first)) : ReadChunkAsync(content, first, cancellation);
            while (true)
            {
                int read = await reading.ConfigureAwait(false);
                if (read == 0)
                {
                    break;
                }

                BinaryPrimitives.WriteInt32LittleEndian(first, read);
                if (inline)
                {
                    checksum.Append(first.AsSpan(4, read));
                    await connection.WriteAsync(first.AsMemory(0, 4 + read), "uploading").ConfigureAwait(false);
                    reading = Task.FromResult(ReadChunk(content, first));
                    continue;
                }

                reading = ReadChunkAsync(content, second, cancellation);

                // The chunk is checksummed while the socket takes it: both only read the buffer.
                ValueTask sending = connection.WriteAsync(first.AsMemory(0, 4 + read), "uploading");
                checksum.Append(first.AsSpan(4, read));
                await sending.ConfigureAwait(false);
                (first, second) = (second, first);
            }

            byte[] end = new byte[4 + TransferProtocol.ChecksumSize];
            checksum.GetCurrentHash(end.AsSpan(4));
            await connection.WriteAsync(end, "uploading").ConfigureAwait(false);
            await connection.FlushAsync("uploading").ConfigureAwait(false);
            await ThrowIfErrorAsync(connection).ConfigureAwait(false);
            byte[] key = new byte[BlobKey.Size];
            await connection.ReadExactlyAsync(key, "reading the upload's key").ConfigureAwait(false);
            return BlobKey.FromHash(key);
        }
        catch (BlobException exception) when (exception.Error == BlobError.ConnectionLost)
        {
            // A server that gave up on the upload (its disk is full, say) sent why before it closed: prefer its reason.
            (BlobError status, string? message) = await TryReadStatusAsync(connection).ConfigureAwait(false);
            throw status == BlobError.None ? exception : new BlobException(status, $"The blob server at {connection.Peer} refused the upload: {message}", exception);
        }
    }

    private static int ReadChunk(Stream source, byte[] buffer)
    {
        int total = 0;
        int read;
        while (total < TransferProtocol.MaxChunk && (read = source.Read(buffer, 4 + total, TransferProtocol.MaxChunk - total)) > 0)
        {
            total += read;
        }

        return total;
    }

    private static async Task<int> ReadChunkAsync(Stream source, byte[] buffer, CancellationToken cancellation)
    {
        int total = 0;
        while (total < TransferProtocol.MaxChunk)
        {
            int read = await source.ReadAsync(buffer.AsMemory(4 + total, TransferProtocol.MaxChunk - total), cancellation).ConfigureAwait(false);
            if (read == 0)
            {
                break;
            }

            total += read;
        }

        return total;
    }

    private async Task<long> DownloadToFileAsync(BlobKey key, string destination, JobId? job, CancellationToken cancellation)
    {
        string partial = destination + ".partial";
        Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
        using IncrementalHash hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        long offset = 0;
        if (File.Exists(partial))
        {
            await using FileStream prefix = new(partial, FileMode.Open, FileAccess.Read, FileShare.Read, 0, FileOptions.SequentialScan);
            offset = await BlobFiles.HashIntoAsync(prefix, hash, long.MaxValue, cancellation).ConfigureAwait(false);
            if (offset > 0)
            {
                BlobLog.Resuming(_logger, key.Hex, offset);
            }
        }

        TransferConnection connection;
        try
        {
            connection = await OpenAsync(TransferOperation.Get, job is null ? BlobKind.Transient : BlobKind.Permanent, job, key, offset, cancellation).ConfigureAwait(false);
        }
        catch (BlobException exception) when (exception.Error == BlobError.BadRequest && offset > 0)
        {
            // The partial file is longer than the blob: it belongs to other content. Start again from nothing.
            File.Delete(partial);
            throw new BlobException(BlobError.HashMismatch, $"The partial download {partial} did not belong to blob {key}; it was discarded.", exception);
        }

        await using (connection.ConfigureAwait(false))
        {
            long length;
            await using (FileStream file = new(partial, FileMode.Append, FileAccess.Write, FileShare.None, 0, FileOptions.Asynchronous))
            {
                length = await ReceiveAsync(connection, file, hash, offset, key, () => File.Delete(partial)).ConfigureAwait(false);
                file.Flush(flushToDisk: true);
            }

            File.Move(partial, destination, overwrite: true);
            await ConfirmAsync(connection).ConfigureAwait(false);
            return length;
        }
    }

    private async Task<byte[]> DownloadToMemoryAsync(BlobKey key, JobId? job, CancellationToken cancellation)
    {
        await using TransferConnection connection = await OpenAsync(TransferOperation.Get, job is null ? BlobKind.Transient : BlobKind.Permanent, job, key, 0, cancellation)
            .ConfigureAwait(false);
        using IncrementalHash hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        using MemoryStream memory = new();
        await ReceiveAsync(connection, memory, hash, 0, key, () => { }).ConfigureAwait(false);
        await ConfirmAsync(connection).ConfigureAwait(false);
        return memory.ToArray();
    }

    /// <summary>Receives a download's bytes into <paramref name="sink"/> and verifies the whole content; <paramref name="discard"/> drops what a failed verification leaves.</summary>
    private static async Task<long> ReceiveAsync(TransferConnection connection, Stream sink, IncrementalHash hash, long offset, BlobKey key, Action discard)
    {
        byte[] header = new byte[8];
        await connection.ReadExactlyAsync(header, "starting a download").ConfigureAwait(false);
        long total = BinaryPrimitives.ReadInt64LittleEndian(header);
        byte[] first = new byte[TransferProtocol.BufferSize];
        byte[] second = new byte[TransferProtocol.BufferSize];
        long remaining = total - offset;
        Task writing = Task.CompletedTask;
        try
        {
            while (remaining > 0)
            {
                int read = await connection.ReadAsync(first.AsMemory(0, (int)Math.Min(first.Length, remaining)), "downloading").ConfigureAwait(false);
                if (read == 0)
                {
                    throw new BlobException(BlobError.ConnectionLost, $"The blob server at {connection.Peer} closed the connection with {remaining} of {total} bytes of {key} unsent.");
                }

                hash.AppendData(first, 0, read);
                await writing.ConfigureAwait(false);
                writing = sink.WriteAsync(first.AsMemory(0, read)).AsTask();
                remaining -= read;
                (first, second) = (second, first);
            }
        }
        finally
        {
            // What arrived stays in the sink, so a retry resumes after it.
            await writing.ConfigureAwait(false);
        }

        BlobKey actual = BlobKey.FromHash(hash.GetHashAndReset());
        if (actual != key)
        {
            discard();
            await connection.WriteAsync(new[] { TransferProtocol.Mismatch }, "reporting a corrupted download").ConfigureAwait(false);
            await connection.FlushAsync().ConfigureAwait(false);
            (BlobError status, string? message) = await TryReadStatusAsync(connection).ConfigureAwait(false);
            throw new BlobException(BlobError.HashMismatch, status == BlobError.HashMismatch
                ? $"The download of {key} from {connection.Peer} is corrupted: {message}; it was discarded."
                : $"The download of {key} from {connection.Peer} is corrupted (its {total} bytes hash to {actual}; the server's copy is intact, so it was damaged in transit); it was discarded.");
        }

        return total;
    }

    private static async Task ConfirmAsync(TransferConnection connection)
    {
        try
        {
            await connection.WriteAsync(new[] { TransferProtocol.Verified }, "confirming the download").ConfigureAwait(false);
            await connection.FlushAsync("confirming the download").ConfigureAwait(false);
        }
        catch (BlobException)
        {
            // The content is here and verified; a transient blob the server did not hear confirmed expires instead.
        }
    }

    private async Task<TransferConnection> OpenAsync(TransferOperation operation, BlobKind kind, JobId? job, BlobKey key, long offset, CancellationToken cancellation)
    {
        TransferEndpoint address = await AddressAsync().ConfigureAwait(false);
        TransferConnection connection = await TransferConnection.ConnectAsync(address, _tls, _options.ConnectTimeout, _options.IdleTimeout, _time, cancellation).ConfigureAwait(false);
        try
        {
            byte[] clientNonce = TransferAuthentication.NewNonce();
            byte[] hello = new byte[TransferProtocol.HelloSize];
            TransferProtocol.WriteHello(hello, _secret is not null, clientNonce);
            await connection.WriteAsync(hello, "sending the client's hello").ConfigureAwait(false);
            await connection.FlushAsync().ConfigureAwait(false);

            byte[] scratch = connection.Scratch;
            try
            {
                await connection.ReadExactlyAsync(scratch.AsMemory(0, 5), "reading the server's hello").ConfigureAwait(false);
            }
            catch (BlobException exception) when (exception.Error == BlobError.ConnectionLost)
            {
                throw new BlobException(BlobError.ConnectionLost, $"{exception.Message} (Is TLS configured on one side only?)", exception);
            }

            if (!scratch.AsSpan(0, 4).SequenceEqual(TransferProtocol.Magic))
            {
                throw new BlobException(BlobError.Refused, $"{address} is not a blob server (it answered with something else).");
            }

            await ThrowIfErrorAsync(connection).ConfigureAwait(false);
            await connection.ReadExactlyAsync(scratch.AsMemory(0, 1 + TransferProtocol.NonceSize + 1), "reading the server's hello").ConfigureAwait(false);
            bool serverHasSecret = scratch[0] == 1;
            byte[] serverNonce = scratch.AsSpan(1, TransferProtocol.NonceSize).ToArray();
            byte[] serverProof = new byte[scratch[1 + TransferProtocol.NonceSize]];
            await connection.ReadExactlyAsync(serverProof, "reading the server's hello").ConfigureAwait(false);
            if (TransferAuthentication.Mismatch(_secret is not null, serverHasSecret, address.ToString()) is { } mismatch)
            {
                throw new BlobException(BlobError.Refused, $"Cannot transfer with the blob server: {mismatch}.");
            }

            if (_secret is not null && !TransferAuthentication.Verify(_secret, TransferProtocol.ServerRole, clientNonce, serverNonce, serverProof))
            {
                throw new BlobException(BlobError.Refused, $"The blob server at {address} failed to prove the shared secret: the secrets differ.");
            }

            byte[] proof = TransferAuthentication.Prove(_secret, TransferProtocol.ClientRole, clientNonce, serverNonce);
            byte[] jobBytes = job is { } j ? Encoding.UTF8.GetBytes(j.Value) : [];
            byte[] holder = operation == TransferOperation.Put && kind == BlobKind.Permanent ? Encoding.UTF8.GetBytes(HolderId) : [];
            byte[] request = new byte[1 + proof.Length + 4 + jobBytes.Length + holder.Length + BlobKey.Size + 8];
            request[0] = (byte)proof.Length;
            proof.CopyTo(request, 1);
            int at = 1 + proof.Length;
            request[at] = (byte)operation;
            request[at + 1] = (byte)kind;
            request[at + 2] = (byte)jobBytes.Length;
            request[at + 3] = (byte)holder.Length;
            jobBytes.CopyTo(request, at + 4);
            holder.CopyTo(request, at + 4 + jobBytes.Length);
            key.WriteHash(request.AsSpan(at + 4 + jobBytes.Length + holder.Length));
            BinaryPrimitives.WriteInt64LittleEndian(request.AsSpan(request.Length - 8), offset);
            await connection.WriteAsync(request, "sending the request").ConfigureAwait(false);
            await connection.FlushAsync().ConfigureAwait(false);
            await ThrowIfErrorAsync(connection).ConfigureAwait(false);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private static async Task ThrowIfErrorAsync(TransferConnection connection)
    {
        (BlobError status, string? message) = await TransferProtocol.ReadStatusAsync(connection).ConfigureAwait(false);
        if (status != BlobError.None)
        {
            throw new BlobException(status, $"The blob server at {connection.Peer} answered: {message}.");
        }
    }

    private static async Task<(BlobError Status, string? Message)> TryReadStatusAsync(TransferConnection connection)
    {
        try
        {
            return await TransferProtocol.ReadStatusAsync(connection).ConfigureAwait(false);
        }
        catch (BlobException)
        {
            return (BlobError.None, null);
        }
    }
}
