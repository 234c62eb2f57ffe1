using System.Buffers;
using System.Buffers.Binary;
using System.IO.Pipelines;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using Toolkit.Rpc.Transport.Protocol;

namespace Toolkit.Rpc.Transport;

/// <summary>
/// The handshake of a byte-stream link, the second connection beside a call connection. It authenticates as the call
/// connection does — TLS when configured, then hellos and proofs of the shared secret over fresh nonces — but opens
/// with its own preamble (<c>TKLNK</c>), names the call connection it belongs to by that connection's server nonce,
/// and exchanges no contracts. The side that opened the call connection opens the link, also in client mode.
/// </summary>
internal static class LinkHandshake
{
    /// <summary>Opens the link of the call connection whose handshake gave <paramref name="key"/>; returns its authenticated stream.</summary>
    public static async Task<Stream> ConnectAsync(TransportHost service, string host, int port, byte[] key, string displayAddress, CancellationToken closing)
    {
        RpcTransportOptions options = service.Options.Transport;
        using CancellationTokenSource timeout = CancellationTokenSource.CreateLinkedTokenSource(closing);
        timeout.CancelAfter(options.ConnectTimeout);
        Socket socket = new(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        Stream? stream = null;
        try
        {
            await socket.ConnectAsync(host, port, timeout.Token).ConfigureAwait(false);
            stream = new NetworkStream(socket, ownsSocket: true);
            if (options.Tls is { } tls)
            {
                SslStream ssl = new(stream, leaveInnerStreamOpen: false);
                stream = ssl;
                await ssl.AuthenticateAsClientAsync(
                    new SslClientAuthenticationOptions { TargetHost = tls.TargetHost ?? host, RemoteCertificateValidationCallback = tls.RemoteCertificateValidation },
                    timeout.Token).ConfigureAwait(false);
            }

            byte[] clientNonce = Handshake.NewNonce();
            await ConnectionHandshake.SendFrameAsync(stream, FrameType.Hello, frame => ConnectionHandshake.OwnHello(service, clientNonce, []).Write(frame), Frames.WriteLinkPreamble, timeout.Token)
                .ConfigureAwait(false);
            byte[] preamble = new byte[Frames.PreambleSize];
            await stream.ReadExactlyAsync(preamble, timeout.Token).ConfigureAwait(false);
            if (!Frames.IsLinkPreamble(preamble))
            {
                throw new ProtocolViolationException($"the peer answered with {Convert.ToHexString(preamble)} instead of the byte-stream link's preamble");
            }

            (FrameType type, byte[] body) = await ReadFrameAsync(stream, timeout.Token).ConfigureAwait(false);
            ThrowIfRefused(type, body, displayAddress);
            ConnectionHandshake.Expect(type, FrameType.Welcome);
            HelloFrame server = HelloFrame.Read(new ReadOnlySequence<byte>(body));
            byte[] proof = [];
            if (options.SharedSecret is { } secret)
            {
                if (!server.HasSecret || !Handshake.Verify(secret, "server", clientNonce, server.Nonce, server.Proof))
                {
                    throw new RpcConnectionException(displayAddress, $"{displayAddress} failed to prove the shared secret on the byte-stream connection.");
                }

                proof = Handshake.Prove(secret, "client", clientNonce, server.Nonce);
            }

            await ConnectionHandshake.SendFrameAsync(stream, FrameType.Proof, frame => LinkProofFrame.Write(frame, proof, key), null, timeout.Token).ConfigureAwait(false);
            (type, body) = await ReadFrameAsync(stream, timeout.Token).ConfigureAwait(false);
            ThrowIfRefused(type, body, displayAddress);
            ConnectionHandshake.Expect(type, FrameType.Ready);
            return stream;
        }
        catch (Exception exception)
        {
            if (stream is not null)
            {
                await stream.DisposeAsync().ConfigureAwait(false);
            }

            socket.Dispose();
            throw exception switch
            {
                RpcConnectionException connection => connection,
                OperationCanceledException when !closing.IsCancellationRequested => new RpcConnectionException(displayAddress,
                    $"could not open the byte-stream connection to {displayAddress} within the connect timeout of {options.ConnectTimeout.TotalMilliseconds:0} ms", exception),
                AuthenticationException => new RpcConnectionException(displayAddress, $"could not open the byte-stream connection to {displayAddress}: the TLS handshake failed: {exception.Message}", exception),
                _ => new RpcConnectionException(displayAddress, $"could not open the byte-stream connection to {displayAddress}: {ConnectionHandshake.Describe(exception)}", exception),
            };
        }
    }

    /// <summary>
    /// The server side, after the call handshake's start found the link preamble on an accepted connection: checks the
    /// proof, hands the stream to the call connection that waits for it, and lets go of <paramref name="accepted"/>.
    /// </summary>
    public static async Task AcceptAsync(RpcConnection accepted, PipeReader reader, CancellationToken cancellation)
    {
        TransportHost service = accepted.Host;
        Stream stream = accepted.Stream!;
        (FrameType type, byte[] body) = await ConnectionHandshake.ReadHandshakeFrameAsync(reader, ConnectionHandshake.HelloLimit, cancellation).ConfigureAwait(false);
        ConnectionHandshake.Expect(type, FrameType.Hello);
        HelloFrame client = HelloFrame.Read(new ReadOnlySequence<byte>(body));
        string? secret = service.Options.Transport.SharedSecret;
        if (client.HasSecret != (secret is not null) || service.Options.ByteStreams is null)
        {
            await RefuseAsync(accepted, stream, service.Options.ByteStreams is null
                ? "this service carries no byte streams (RpcServiceOptions.ByteStreams is not set)"
                : "the shared secret is configured on one side only", cancellation).ConfigureAwait(false);
            return;
        }

        byte[] serverNonce = Handshake.NewNonce();
        byte[] serverProof = Handshake.Prove(secret, "server", client.Nonce, serverNonce);
        await ConnectionHandshake.SendFrameAsync(stream, FrameType.Welcome, frame => ConnectionHandshake.OwnHello(service, serverNonce, serverProof).Write(frame), Frames.WriteLinkPreamble, cancellation)
            .ConfigureAwait(false);
        (type, body) = await ConnectionHandshake.ReadHandshakeFrameAsync(reader, ConnectionHandshake.HelloLimit, cancellation).ConfigureAwait(false);
        ConnectionHandshake.Expect(type, FrameType.Proof);
        (byte[] proof, byte[] key) = LinkProofFrame.Read(new ReadOnlySequence<byte>(body));
        if (secret is not null && !Handshake.Verify(secret, "client", client.Nonce, serverNonce, proof))
        {
            await RefuseAsync(accepted, stream, "authentication failed: the shared secrets differ", cancellation).ConfigureAwait(false);
            return;
        }

        // The client sends nothing after its proof before it has read Ready: the reader holds no bytes of the link.
        if (reader.TryRead(out ReadResult leftover) && !leftover.Buffer.IsEmpty)
        {
            throw new ProtocolViolationException("the byte-stream link sent data before its handshake ended");
        }

        await reader.CompleteAsync().ConfigureAwait(false);
        if (!service.Links.IsExpected(key, client.NodeId, out string? problem))
        {
            await RefuseAsync(accepted, stream, problem!, cancellation).ConfigureAwait(false);
            return;
        }

        await ConnectionHandshake.SendFrameAsync(stream, FrameType.Ready, _ => { }, null, cancellation).ConfigureAwait(false);
        accepted.HandOver();
        Stream link = stream is PollingSocketStream ? AsNetworkStream(accepted.Socket!) : stream;
        if (service.Links.Deliver(key, client.NodeId, link) is { } late)
        {
            TransportLog.Refused(accepted.Logger, accepted.DisplayAddress, late);
            await link.DisposeAsync().ConfigureAwait(false);
        }
    }

    // A dedicated reader's handshake ran through a polling stream; the link is read by the multiplexer's loop, on the pool.
    private static NetworkStream AsNetworkStream(Socket socket)
    {
        socket.Blocking = true;
        return new NetworkStream(socket, ownsSocket: true);
    }

    private static async Task RefuseAsync(RpcConnection accepted, Stream stream, string reason, CancellationToken cancellation)
    {
        TransportLog.Refused(accepted.Logger, accepted.DisplayAddress, reason);
        try
        {
            await ConnectionHandshake.SendFrameAsync(stream, FrameType.Refused, frame => RefusedFrame.Write(frame, reason), null, cancellation).ConfigureAwait(false);
        }
        catch (Exception)
        {
            // The refusal is a courtesy; the connection closes either way.
        }

        accepted.Close(new IOException($"refused a byte-stream link: {reason}"));
    }

    private static void ThrowIfRefused(FrameType type, byte[] body, string displayAddress)
    {
        if (type == FrameType.Refused)
        {
            throw new RpcConnectionException(displayAddress, $"{displayAddress} refused the byte-stream connection: {RefusedFrame.Read(new ReadOnlySequence<byte>(body))}.");
        }
    }

    // Reads exactly one frame, and nothing past it: what follows the handshake belongs to the link.
    private static async Task<(FrameType Type, byte[] Body)> ReadFrameAsync(Stream stream, CancellationToken cancellation)
    {
        byte[] header = new byte[Frames.HeaderSize];
        await stream.ReadExactlyAsync(header, cancellation).ConfigureAwait(false);
        int length = BinaryPrimitives.ReadInt32LittleEndian(header);
        if (length < 1 || length > ConnectionHandshake.HelloLimit)
        {
            throw new ProtocolViolationException($"a byte-stream link handshake frame declares {length} bytes");
        }

        byte[] body = new byte[length - 1];
        await stream.ReadExactlyAsync(body, cancellation).ConfigureAwait(false);
        return ((FrameType)header[4], body);
    }
}
