using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using Toolkit.Rpc;

namespace Toolkit.Blob;

/// <summary>
/// One transfer's connection, either side: the socket (and TLS), and every read and write bounded by the idle timeout,
/// so that a peer that stalls mid-transfer fails the transfer instead of holding a slot for ever. Failures surface as
/// <see cref="BlobException"/>s that name the peer.
/// </summary>
internal sealed class TransferConnection : IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly TimeSpan _idleTimeout;
    private readonly CancellationTokenSource _idle;
    private readonly CancellationTokenSource _linked;
    private readonly CancellationToken _outer;
    private Stream _stream;

    private TransferConnection(Socket socket, Stream stream, string peer, TimeSpan idleTimeout, TimeProvider timeProvider, CancellationToken cancellation)
    {
        _socket = socket;
        _stream = stream;
        Peer = peer;
        _idleTimeout = idleTimeout;
        _outer = cancellation;

        // The idle timer runs on the injected clock, so tests stall a peer and move fake time past the timeout.
        _idle = new CancellationTokenSource(Timeout.InfiniteTimeSpan, timeProvider);
        _linked = CancellationTokenSource.CreateLinkedTokenSource(_idle.Token, cancellation);
    }

    /// <summary>The other side, for messages.</summary>
    public string Peer { get; }

    /// <summary>A small buffer for headers; one operation at a time uses it.</summary>
    public byte[] Scratch { get; } = new byte[4200];

    public static async Task<TransferConnection> ConnectAsync(
        TransferEndpoint endpoint, RpcTlsOptions? tls, TimeSpan connectTimeout, TimeSpan idleTimeout, TimeProvider timeProvider, CancellationToken cancellation)
    {
        Socket socket = new(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        string stage = "connecting";
        using CancellationTokenSource timeout = new(connectTimeout, timeProvider);
        using CancellationTokenSource linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, cancellation);
        try
        {
            await socket.ConnectAsync(endpoint.Host, endpoint.Port, linked.Token).ConfigureAwait(false);
            Stream stream = new NetworkStream(socket, ownsSocket: true);
            if (tls is not null)
            {
                stage = "the TLS handshake";
                SslStream ssl = new(stream, leaveInnerStreamOpen: false);
                stream = ssl;
                await ssl.AuthenticateAsClientAsync(
                    new SslClientAuthenticationOptions
                    {
                        TargetHost = tls.TargetHost ?? endpoint.Host,
                        RemoteCertificateValidationCallback = tls.RemoteCertificateValidation,
                    },
                    linked.Token).ConfigureAwait(false);
            }

            return new TransferConnection(socket, stream, endpoint.ToString(), idleTimeout, timeProvider, cancellation);
        }
        catch (Exception exception)
        {
            socket.Dispose();
            cancellation.ThrowIfCancellationRequested();
            throw exception switch
            {
                OperationCanceledException => new BlobException(BlobError.Timeout, $"Could not reach the blob server at {endpoint}: {stage} took longer than {connectTimeout.TotalSeconds:0.###} s."),
                AuthenticationException => new BlobException(BlobError.Refused, $"The TLS handshake with the blob server at {endpoint} failed: {exception.Message}", exception),
                _ => new BlobException(BlobError.ConnectionLost, $"Could not reach the blob server at {endpoint} ({stage}): {Describe(exception)}", exception),
            };
        }
    }

    public static async Task<TransferConnection> AcceptAsync(Socket socket, RpcTlsOptions? tls, TimeSpan idleTimeout, TimeProvider timeProvider, CancellationToken cancellation)
    {
        socket.NoDelay = true;
        string peer = socket.RemoteEndPoint?.ToString() ?? "?";
        Stream stream = new NetworkStream(socket, ownsSocket: true);
        TransferConnection connection = new(socket, stream, peer, idleTimeout, timeProvider, cancellation);
        if (tls is not null)
        {
            if (tls.ServerCertificate is null)
            {
                await connection.DisposeAsync().ConfigureAwait(false);
                throw new BlobException(BlobError.Refused, "The blob server has TLS on but no server certificate (RpcTlsOptions.ServerCertificate).");
            }

            SslStream ssl = new(stream, leaveInnerStreamOpen: false);
            connection._stream = ssl;
            connection.Arm();
            try
            {
                await ssl.AuthenticateAsServerAsync(new SslServerAuthenticationOptions { ServerCertificate = tls.ServerCertificate }, connection._linked.Token)
                    .ConfigureAwait(false);
            }
            catch (Exception exception)
            {
                await connection.DisposeAsync().ConfigureAwait(false);
                throw connection.Translate(exception, "the TLS handshake");
            }
        }

        return connection;
    }

    public async ValueTask ReadExactlyAsync(Memory<byte> buffer, string doing = "reading")
    {
        Arm();
        try
        {
            await _stream.ReadExactlyAsync(buffer, _linked.Token).ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            throw Translate(exception, doing);
        }
        finally
        {
            Disarm();
        }
    }

    /// <summary>Reads what has arrived, at least one byte; zero at the end of the stream.</summary>
    public async ValueTask<int> ReadAsync(Memory<byte> buffer, string doing = "reading")
    {
        Arm();
        try
        {
            return await _stream.ReadAsync(buffer, _linked.Token).ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            throw Translate(exception, doing);
        }
        finally
        {
            Disarm();
        }
    }

    public async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, string doing = "writing")
    {
        Arm();
        try
        {
            await _stream.WriteAsync(buffer, _linked.Token).ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            throw Translate(exception, doing);
        }
        finally
        {
            Disarm();
        }
    }

    public async ValueTask FlushAsync(string doing = "writing")
    {
        Arm();
        try
        {
            await _stream.FlushAsync(_linked.Token).ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            throw Translate(exception, doing);
        }
        finally
        {
            Disarm();
        }
    }

    /// <summary>Turns an I/O failure into a <see cref="BlobException"/> that says what the transfer was doing and with whom.</summary>
    public Exception Translate(Exception exception, string doing)
    {
        if (exception is BlobException)
        {
            return exception;
        }

        if (exception is OperationCanceledException && _outer.IsCancellationRequested)
        {
            return exception;
        }

        return exception switch
        {
            OperationCanceledException => new BlobException(BlobError.Timeout, $"{Peer} sent and took nothing for {_idleTimeout.TotalSeconds:0.###} s while {doing}; the transfer was abandoned.", exception),
            EndOfStreamException => new BlobException(BlobError.ConnectionLost, $"{Peer} closed the connection while {doing}.", exception),
            AuthenticationException => new BlobException(BlobError.Refused, $"{doing} with {Peer} failed: {exception.Message}", exception),
            _ => new BlobException(BlobError.ConnectionLost, $"The connection to {Peer} failed while {doing}: {Describe(exception)}", exception),
        };
    }

    /// <summary>Aborts the connection at once (a stopping server).</summary>
    public void Abort()
    {
        try
        {
            _socket.Close(0);
        }
        catch (ObjectDisposedException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await _stream.DisposeAsync().ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is IOException or SocketException or ObjectDisposedException)
        {
            // Closing a connection whose peer is gone; nothing to report.
        }

        _socket.Dispose();
        _linked.Dispose();
        _idle.Dispose();
    }

    private void Arm() => _idle.CancelAfter(_idleTimeout);

    // Local work between two operations (hashing a prefix, copying from the HA store) must not count as the peer's silence.
    private void Disarm()
    {
        if (!_idle.IsCancellationRequested)
        {
            _idle.CancelAfter(Timeout.InfiniteTimeSpan);
        }
    }

    private static string Describe(Exception exception) => exception switch
    {
        SocketException socket => $"{socket.SocketErrorCode}: {socket.Message}",
        IOException { InnerException: SocketException socket } => $"{socket.SocketErrorCode}: {socket.Message}",
        _ => exception.Message,
    };
}
