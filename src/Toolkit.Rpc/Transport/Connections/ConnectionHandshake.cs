using System.Buffers;
using System.IO.Pipelines;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using Toolkit.Rpc.Transport.Protocol;

namespace Toolkit.Rpc.Transport;

/// <summary>
/// A connection's handshake, client side and server side (the frames: <see cref="FrameType"/>): preambles and hellos,
/// the proof of the shared secret (<see cref="Handshake"/>), the contracts of the gateways each side serves, and the
/// refusal that says why. It ends by opening the connection, or by closing it.
/// </summary>
internal sealed class ConnectionHandshake(RpcConnection connection)
{
    private readonly TransportHost _service = connection.Host;
    private readonly RpcTransportOptions _options = connection.Options;

    // The hello frames are small; a peer that claims more before it has proven anything is not a Toolkit peer.
    internal const int HelloLimit = 4096;

    public async Task RunClientAsync(string host, int port)
    {
        using CancellationTokenSource timeout = CancellationTokenSource.CreateLinkedTokenSource(connection.Closing);
        timeout.CancelAfter(_options.ConnectTimeout);
        string stage = "connecting";
        try
        {
            Socket socket = new(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            connection.Socket = socket;
            Stream stream;
            if (connection.UsesDedicatedReader)
            {
                PollingSocketStream.Connect(socket, host, port, timeout.Token);
                stream = new PollingSocketStream(socket);
            }
            else
            {
                await socket.ConnectAsync(host, port, timeout.Token).ConfigureAwait(false);
                stream = new NetworkStream(socket, ownsSocket: true);
            }

            if (_options.Tls is { } tls)
            {
                stage = "the TLS handshake";
                SslStream ssl = new(stream, leaveInnerStreamOpen: false);
                stream = ssl;
                await ssl.AuthenticateAsClientAsync(
                    new SslClientAuthenticationOptions
                    {
                        TargetHost = tls.TargetHost ?? host,
                        RemoteCertificateValidationCallback = tls.RemoteCertificateValidation,
                    },
                    timeout.Token).ConfigureAwait(false);
            }

            connection.Stream = stream;
            stage = "the handshake";
            PipeReader reader = CreateReader(stream);
            byte[] clientNonce = Handshake.NewNonce();
            await SendHandshakeAsync(FrameType.Hello, frame => OwnHello(clientNonce, []).Write(frame), preamble: true, timeout.Token).ConfigureAwait(false);

            ushort version = Frames.ReadPreamble(await ReadExactlyAsync(reader, Frames.PreambleSize, timeout.Token).ConfigureAwait(false));
            (FrameType type, byte[] body) = await ReadHandshakeFrameAsync(reader, HelloLimit, timeout.Token).ConfigureAwait(false);
            ThrowIfRefused(type, body);
            if (version != Frames.ProtocolVersion)
            {
                throw new RpcConnectionException(connection.DisplayAddress, $"{connection.DisplayAddress} speaks protocol version {version}; this service speaks {Frames.ProtocolVersion}.");
            }

            Expect(type, FrameType.Welcome);
            HelloFrame server = HelloFrame.Read(new ReadOnlySequence<byte>(body));
            byte[] proof = [];
            if (_options.SharedSecret is { } secret)
            {
                if (!server.HasSecret || !Handshake.Verify(secret, "server", clientNonce, server.Nonce, server.Proof))
                {
                    throw new RpcConnectionException(connection.DisplayAddress, server.HasSecret
                        ? $"{connection.DisplayAddress} failed to prove the shared secret: the secrets differ."
                        : $"{connection.DisplayAddress} runs without a shared secret, but this service requires one.");
                }

                proof = Handshake.Prove(secret, "client", clientNonce, server.Nonce);
            }
            else if (server.HasSecret)
            {
                throw new RpcConnectionException(connection.DisplayAddress, $"{connection.DisplayAddress} requires a shared secret; set RpcTransportOptions.SharedSecret.");
            }

            await SendHandshakeAsync(FrameType.Proof, frame => ProofFrame.Write(frame, proof, _service.ServedGateways()), preamble: false, timeout.Token).ConfigureAwait(false);
            (type, body) = await ReadHandshakeFrameAsync(reader, _options.MaxFrameSize, timeout.Token).ConfigureAwait(false);
            ThrowIfRefused(type, body);
            Expect(type, FrameType.Ready);
            if (Handshake.CompareContracts(
                    ProofFrame.Read(new ReadOnlySequence<byte>(body)).Gateways,
                    Handshake.Side(_service.NodeId, _service.Address),
                    Handshake.Side(server.NodeId, server.Address)) is { } mismatch)
            {
                throw new RpcConnectionException(connection.DisplayAddress, $"{connection.DisplayAddress} was refused: {mismatch}");
            }

            connection.ByteStreams = ConnectionByteStreams.Create(connection, server.Features, connection.DisplayAddress, () => LinkHandshake.ConnectAsync(
                _service, host, port, server.Nonce, connection.DisplayAddress, connection.Closing));
            connection.Opened(new RpcPeer(server.NodeId, server.Address, $"{host}:{port}", IsInbound: false), server.MaxFrameSize, reader);
        }
        catch (Exception exception)
        {
            connection.Close(exception switch
            {
                RpcConnectionException connection => connection,
                OperationCanceledException when !connection.Closing.IsCancellationRequested => new RpcConnectionException(
                    connection.DisplayAddress, $"could not connect to {connection.DisplayAddress}: {TookTooLong(stage)}.", exception),
                AuthenticationException => new RpcConnectionException(connection.DisplayAddress, $"could not connect to {connection.DisplayAddress}: the TLS handshake failed: {exception.Message}", exception),
                _ => new RpcConnectionException(connection.DisplayAddress, $"could not connect to {connection.DisplayAddress} ({stage}): {Describe(exception)}", exception),
            });
        }
    }

    public async Task RunServerAsync()
    {
        using CancellationTokenSource timeout = CancellationTokenSource.CreateLinkedTokenSource(connection.Closing);
        timeout.CancelAfter(_options.ConnectTimeout);
        string stage = "the handshake";
        try
        {
            Stream stream = connection.UsesDedicatedReader ? new PollingSocketStream(connection.Socket!) : new NetworkStream(connection.Socket!, ownsSocket: true);
            if (_options.Tls is { } tls)
            {
                stage = "the TLS handshake";
                SslStream ssl = new(stream, leaveInnerStreamOpen: false);
                stream = ssl;
                await ssl.AuthenticateAsServerAsync(
                    new SslServerAuthenticationOptions { ServerCertificate = tls.ServerCertificate },
                    timeout.Token).ConfigureAwait(false);
                stage = "the handshake";
            }

            connection.Stream = stream;
            PipeReader reader = CreateReader(stream);
            byte[] preambleBytes = await ReadExactlyAsync(reader, Frames.PreambleSize, timeout.Token).ConfigureAwait(false);
            if (Frames.IsLinkPreamble(preambleBytes))
            {
                stage = "the byte-stream link's handshake";
                await LinkHandshake.AcceptAsync(connection, reader, timeout.Token).ConfigureAwait(false);
                return;
            }

            ushort version = Frames.ReadPreamble(preambleBytes);
            if (version != Frames.ProtocolVersion)
            {
                await RefuseAsync($"the client speaks protocol version {version}; this service speaks {Frames.ProtocolVersion}", preamble: true, timeout.Token).ConfigureAwait(false);
                return;
            }

            (FrameType type, byte[] body) = await ReadHandshakeFrameAsync(reader, HelloLimit, timeout.Token).ConfigureAwait(false);
            Expect(type, FrameType.Hello);
            HelloFrame client = HelloFrame.Read(new ReadOnlySequence<byte>(body));
            string? secret = _options.SharedSecret;
            if (client.HasSecret != (secret is not null))
            {
                await RefuseAsync(secret is null
                    ? "the client expects a shared secret, but this service runs without one"
                    : "this service requires a shared secret; set RpcTransportOptions.SharedSecret", preamble: true, timeout.Token).ConfigureAwait(false);
                return;
            }

            byte[] serverNonce = Handshake.NewNonce();
            byte[] serverProof = Handshake.Prove(secret, "server", client.Nonce, serverNonce);
            await SendHandshakeAsync(FrameType.Welcome, frame => OwnHello(serverNonce, serverProof).Write(frame), preamble: true, timeout.Token)
                .ConfigureAwait(false);

            // Before the proof is checked, a peer may send at most a small frame: an unauthenticated peer must not
            // make this service buffer a frame of the full size.
            (type, body) = await ReadHandshakeFrameAsync(reader, secret is null ? _options.MaxFrameSize : HelloLimit + 64 * 1024, timeout.Token).ConfigureAwait(false);
            Expect(type, FrameType.Proof);
            (byte[] proof, List<ContractFrame> gateways) = ProofFrame.Read(new ReadOnlySequence<byte>(body));
            if (secret is not null && !Handshake.Verify(secret, "client", client.Nonce, serverNonce, proof))
            {
                await RefuseAsync("authentication failed: the shared secrets differ", preamble: false, timeout.Token).ConfigureAwait(false);
                return;
            }

            if (Handshake.CompareContracts(gateways, Handshake.Side(_service.NodeId, _service.Address), Handshake.Side(client.NodeId, client.Address)) is { } mismatch)
            {
                await RefuseAsync(mismatch, preamble: false, timeout.Token).ConfigureAwait(false);
                return;
            }

            RpcPeer peer = new(client.NodeId, client.Address, connection.Socket!.RemoteEndPoint?.ToString() ?? "?", IsInbound: true);
            connection.ByteStreams = ConnectionByteStreams.Create(connection, client.Features, peer.ToString(), () => _service.Links.Expect(
                serverNonce, client.NodeId, peer.ToString(), _options.ConnectTimeout));
            await SendHandshakeAsync(FrameType.Ready, frame => ProofFrame.Write(frame, [], _service.ServedGateways()), preamble: false, timeout.Token).ConfigureAwait(false);
            connection.Opened(peer, client.MaxFrameSize, reader);
        }
        catch (Exception exception)
        {
            string reason = exception switch
            {
                OperationCanceledException when !connection.Closing.IsCancellationRequested => TookTooLong(stage),
                _ => $"{stage} failed: {Describe(exception)}",
            };
            TransportLog.Refused(connection.Logger, connection.DisplayAddress, reason);
            connection.Close(new IOException(reason, exception));
        }
    }

    private string TookTooLong(string stage) => $"{stage} took longer than the connect timeout of {_options.ConnectTimeout.TotalMilliseconds:0} ms";

    private static PipeReader CreateReader(Stream stream) =>
        PipeReader.Create(stream, new StreamPipeReaderOptions(bufferSize: 64 * 1024, minimumReadSize: 16 * 1024, leaveOpen: true));

    internal static string Describe(Exception exception) => exception switch
    {
        SocketException socket => $"{socket.SocketErrorCode}: {socket.Message}",
        EndOfStreamException => "the peer closed the connection during the handshake (is TLS or the shared secret configured on one side only?)",
        _ => exception.Message,
    };

    internal static void Expect(FrameType actual, FrameType expected)
    {
        if (actual != expected)
        {
            throw new ProtocolViolationException($"expected a {expected} frame in the handshake, got {actual}");
        }
    }

    private void ThrowIfRefused(FrameType type, byte[] body)
    {
        if (type == FrameType.Refused)
        {
            throw new RpcConnectionException(connection.DisplayAddress, $"{connection.DisplayAddress} refused the connection: {RefusedFrame.Read(new ReadOnlySequence<byte>(body))}.");
        }
    }

    private HelloFrame OwnHello(byte[] nonce, byte[] proof) => OwnHello(_service, nonce, proof);

    /// <summary>What this service says of itself in a hello or welcome, on a call connection or a byte-stream link.</summary>
    internal static HelloFrame OwnHello(TransportHost service, byte[] nonce, byte[] proof) =>
        new(service.NodeId, service.Address, nonce, service.Options.Transport.MaxFrameSize, service.Options.Transport.SharedSecret is not null, proof)
        {
            Features = service.Options.ByteStreams is null ? (byte)0 : HelloFrame.ByteStreamsFeature,
        };

    private async Task RefuseAsync(string reason, bool preamble, CancellationToken cancellation)
    {
        TransportLog.Refused(connection.Logger, connection.DisplayAddress, reason);
        try
        {
            await SendHandshakeAsync(FrameType.Refused, frame => RefusedFrame.Write(frame, reason), preamble, cancellation).ConfigureAwait(false);
        }
        catch (Exception)
        {
            // The refusal is a courtesy; the connection closes either way.
        }

        connection.Close(new IOException($"refused: {reason}"));
    }

    private Task SendHandshakeAsync(FrameType type, Action<FrameBuffer> write, bool preamble, CancellationToken cancellation) =>
        SendFrameAsync(connection.Stream!, type, write, preamble ? Frames.WritePreamble : null, cancellation);

    /// <summary>Writes one handshake frame to <paramref name="stream"/>, after the preamble <paramref name="writePreamble"/> writes if any, and flushes.</summary>
    internal static async Task SendFrameAsync(Stream stream, FrameType type, Action<FrameBuffer> write, SpanAction? writePreamble, CancellationToken cancellation)
    {
        FrameBuffer frame = FrameBuffer.Rent(type);
        byte[] bytes;
        try
        {
            write(frame);
            ReadOnlySpan<byte> written = frame.Complete();
            int offset = writePreamble is null ? 0 : Frames.PreambleSize;
            bytes = new byte[offset + written.Length];
            writePreamble?.Invoke(bytes);
            written.CopyTo(bytes.AsSpan(offset));
        }
        finally
        {
            frame.Return();
        }

        await stream.WriteAsync(bytes, cancellation).ConfigureAwait(false);
        await stream.FlushAsync(cancellation).ConfigureAwait(false);
    }

    /// <summary>Writes a preamble into its destination (<see cref="Frames.WritePreamble"/>, <see cref="Frames.WriteLinkPreamble"/>).</summary>
    internal delegate void SpanAction(Span<byte> destination);

    internal static async Task<byte[]> ReadExactlyAsync(PipeReader reader, int count, CancellationToken cancellation)
    {
        while (true)
        {
            ReadResult result = await reader.ReadAsync(cancellation).ConfigureAwait(false);
            ReadOnlySequence<byte> buffer = result.Buffer;
            if (buffer.Length >= count)
            {
                byte[] bytes = buffer.Slice(0, count).ToArray();
                reader.AdvanceTo(buffer.GetPosition(count));
                return bytes;
            }

            if (result.IsCompleted)
            {
                throw new EndOfStreamException();
            }

            reader.AdvanceTo(buffer.Start, buffer.End);
        }
    }

    internal static async Task<(FrameType Type, byte[] Body)> ReadHandshakeFrameAsync(PipeReader reader, int limit, CancellationToken cancellation)
    {
        while (true)
        {
            ReadResult result = await reader.ReadAsync(cancellation).ConfigureAwait(false);
            ReadOnlySequence<byte> buffer = result.Buffer;
            if (Frames.TryRead(ref buffer, limit, out FrameType type, out ReadOnlySequence<byte> body))
            {
                byte[] bytes = body.ToArray();
                reader.AdvanceTo(buffer.Start);
                return (type, bytes);
            }

            if (result.IsCompleted)
            {
                throw new EndOfStreamException();
            }

            reader.AdvanceTo(buffer.Start, buffer.End);
        }
    }
}
