using System.Buffers.Binary;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Logging;

namespace Toolkit.Blob;

/// <summary>
/// Serves one transfer connection on the server: admission (or a busy answer), authentication, the request, then the
/// upload (<see cref="ReceiveUploadAsync"/>) or download (<see cref="SendDownloadAsync"/>).
/// </summary>
internal sealed partial class TransferHandler(BlobTransferServer server, Socket socket)
{
    private readonly BlobStore _store = server.Store;
    private readonly BlobMetrics _metrics = server.Metrics;
    private readonly ILogger _logger = server.Logger;
    private TransferConnection? _connection;
    private bool _helloSent;

    public void Abort() => _connection?.Abort();

    public async Task RunAsync(CancellationToken cancellation)
    {
        string peer = socket.RemoteEndPoint?.ToString() ?? "?";
        bool admitted = server.Admission.TryEnter();
        bool running = false;
        try
        {
            _connection = await TransferConnection.AcceptAsync(socket, server.Tls, server.Options.IdleTimeout, server.Time, cancellation).ConfigureAwait(false);
            TransferConnection connection = _connection;
            byte[] hello = new byte[TransferProtocol.HelloSize];
            await connection.ReadExactlyAsync(hello, "reading the client's hello").ConfigureAwait(false);
            if (!hello.AsSpan(0, 4).SequenceEqual(TransferProtocol.Magic) || hello[4] != TransferProtocol.Version)
            {
                throw new BlobException(BlobError.BadRequest, hello.AsSpan(0, 4).SequenceEqual(TransferProtocol.Magic)
                    ? $"the client speaks blob protocol version {hello[4]}; this server speaks {TransferProtocol.Version}"
                    : "the peer is not a blob client (wrong magic)");
            }

            if (!admitted)
            {
                _metrics.RejectedBusy();
                BlobLog.Busy(_logger, peer, server.Admission.Running, server.Admission.Waiting);
                await RefuseAsync(connection, BlobError.Busy,
                    $"the blob server at {server.Address} is busy: {server.Admission.MaxRunning} transfers running and {server.Admission.MaxWaiting} waiting; try again later").ConfigureAwait(false);
                return;
            }

            using (CancellationTokenSource wait = new(server.Options.IdleTimeout, server.Time))
            using (CancellationTokenSource linked = CancellationTokenSource.CreateLinkedTokenSource(wait.Token, cancellation))
            {
                try
                {
                    await server.Admission.WaitForSlotAsync(Timeout.InfiniteTimeSpan, linked.Token).ConfigureAwait(false);
                    running = true;
                }
                catch (OperationCanceledException) when (!cancellation.IsCancellationRequested)
                {
                    _metrics.RejectedBusy();
                    await RefuseAsync(connection, BlobError.Busy,
                        $"the blob server at {server.Address} is busy: no transfer slot freed within {server.Options.IdleTimeout.TotalSeconds:0} s").ConfigureAwait(false);
                    return;
                }
            }

            _metrics.TransferStarted();
            byte[] clientNonce = hello[6..];
            bool clientHasSecret = hello[5] == 1;
            if (TransferAuthentication.Mismatch(clientHasSecret, server.SharedSecret is not null, server.Address) is { } mismatch)
            {
                await RefuseAsync(connection, BlobError.Refused, mismatch).ConfigureAwait(false);
                return;
            }

            byte[] serverNonce = TransferAuthentication.NewNonce();
            byte[] proof = TransferAuthentication.Prove(server.SharedSecret, TransferProtocol.ServerRole, clientNonce, serverNonce);
            byte[] welcome = new byte[4 + 1 + 1 + 1 + serverNonce.Length + 1 + proof.Length];
            TransferProtocol.Magic.CopyTo(welcome);
            welcome[4] = TransferProtocol.Version;
            welcome[5] = (byte)BlobError.None;
            welcome[6] = server.SharedSecret is null ? (byte)0 : (byte)1;
            serverNonce.CopyTo(welcome, 7);
            welcome[7 + serverNonce.Length] = (byte)proof.Length;
            proof.CopyTo(welcome, 8 + serverNonce.Length);
            await connection.WriteAsync(welcome, "sending the server's hello").ConfigureAwait(false);
            await connection.FlushAsync().ConfigureAwait(false);
            _helloSent = true;

            TransferRequest request = await ReadRequestAsync(connection, clientNonce, serverNonce).ConfigureAwait(false);
            if (request.Operation == TransferOperation.Put)
            {
                await ReceiveUploadAsync(connection, request, cancellation).ConfigureAwait(false);
            }
            else
            {
                await SendDownloadAsync(connection, request, cancellation).ConfigureAwait(false);
            }
        }
        catch (BlobException exception)
        {
            BlobLog.TransferFailed(_logger, peer, exception.Message);
            if (_connection is { } connection && exception.Error is BlobError.BadRequest or BlobError.Refused)
            {
                await RefuseAsync(connection, exception.Error, exception.Message).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
        {
            // The server is stopping; the client retries elsewhere or later.
        }
        catch (Exception exception)
        {
            BlobLog.TransferCrashed(_logger, exception, peer);
        }
        finally
        {
            if (running)
            {
                _metrics.TransferEnded();
                server.Admission.ReleaseSlot();
            }

            if (admitted)
            {
                server.Admission.Leave();
            }

            if (_connection is { } connection)
            {
                await connection.DisposeAsync().ConfigureAwait(false);
            }
            else
            {
                socket.Dispose();
            }
        }
    }

    private async Task<TransferRequest> ReadRequestAsync(TransferConnection connection, byte[] clientNonce, byte[] serverNonce)
    {
        const string doing = "reading the request";
        byte[] scratch = connection.Scratch;
        await connection.ReadExactlyAsync(scratch.AsMemory(0, 1), doing).ConfigureAwait(false);
        byte[] proof = new byte[scratch[0]];
        await connection.ReadExactlyAsync(proof, doing).ConfigureAwait(false);
        if (server.SharedSecret is { } secret && !TransferAuthentication.Verify(secret, TransferProtocol.ClientRole, clientNonce, serverNonce, proof))
        {
            throw new BlobException(BlobError.Refused, $"authentication failed: the client at {connection.Peer} and the blob server have different shared secrets");
        }

        await connection.ReadExactlyAsync(scratch.AsMemory(0, 4), doing).ConfigureAwait(false);
        TransferOperation operation = (TransferOperation)scratch[0];
        BlobKind kind = (BlobKind)scratch[1];
        int jobLength = scratch[2];
        int holderLength = scratch[3];
        await connection.ReadExactlyAsync(scratch.AsMemory(0, jobLength + holderLength + BlobKey.Size + 8), doing).ConfigureAwait(false);
        if (operation is not (TransferOperation.Put or TransferOperation.Get))
        {
            throw new BlobException(BlobError.BadRequest, $"unknown transfer operation {(byte)operation}");
        }

        JobId? job = null;
        if (jobLength > 0)
        {
            string text = Encoding.UTF8.GetString(scratch, 0, jobLength);
            if (JobId.Validate(text) is { } problem)
            {
                throw new BlobException(BlobError.BadRequest, problem);
            }

            job = new JobId(text);
        }

        string? holder = null;
        if (holderLength > 0)
        {
            holder = Encoding.UTF8.GetString(scratch, jobLength, holderLength);
            if (BlobServerEndpoint.ValidateHolder(holder) is { } problem)
            {
                throw new BlobException(BlobError.BadRequest, problem);
            }
        }

        if ((kind == BlobKind.Permanent) != (job is not null) || kind is not (BlobKind.Permanent or BlobKind.Transient))
        {
            throw new BlobException(BlobError.BadRequest, kind switch
            {
                BlobKind.Permanent => "a permanent blob needs a job id",
                BlobKind.Transient => "a transient blob belongs to no job; send no job id",
                _ => $"unknown blob kind {(byte)kind}",
            });
        }

        int at = jobLength + holderLength;
        BlobKey key = BlobKey.FromHash(scratch.AsSpan(at, BlobKey.Size));
        long offset = BinaryPrimitives.ReadInt64LittleEndian(scratch.AsSpan(at + BlobKey.Size));
        return new TransferRequest(operation, kind, job, holder, key, offset);
    }

    private async Task RefuseAsync(TransferConnection connection, BlobError error, string message)
    {
        try
        {
            // Before the server's hello, a refusal takes the hello's place; after it, it is the request's reply.
            int prefix = _helloSent ? 0 : 5;
            byte[] reply = new byte[prefix + 3 + Encoding.UTF8.GetMaxByteCount(message.Length)];
            if (!_helloSent)
            {
                TransferProtocol.Magic.CopyTo(reply);
                reply[4] = TransferProtocol.Version;
            }

            int length = TransferProtocol.WriteStatus(reply.AsSpan(prefix), error, message);
            await connection.WriteAsync(reply.AsMemory(0, prefix + length), "refusing the transfer").ConfigureAwait(false);
            await connection.FlushAsync().ConfigureAwait(false);
        }
        catch (BlobException)
        {
            // The refusal is a courtesy; the connection closes either way.
        }
    }
}
