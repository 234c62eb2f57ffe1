using System.Buffers;
using System.Net;
using System.Net.Sockets;
using Toolkit.Rpc.Tests.Endpoints;
using Toolkit.Rpc.Tests.Infrastructure;
using Toolkit.Rpc.Transport;
using Toolkit.Rpc.Transport.Protocol;

namespace Toolkit.Rpc.Tests.Fuzz;

/// <summary>
/// A raw TCP connection to a service that speaks the Toolkit protocol only as far as a test wants: it can send any
/// bytes, in any chunks, complete a real handshake with the internal encoders, read frames back and tell whether and
/// how fast the service closed the connection.
/// </summary>
internal sealed class HostileConnection : IDisposable
{
    /// <summary>How long a test waits for the service to answer or to close; beyond it the service hangs.</summary>
    public static readonly TimeSpan Bound = TimeSpan.FromSeconds(5);

    private readonly Socket _socket;
    private byte[] _received = new byte[64 * 1024];
    private int _receivedCount;

    private HostileConnection(Socket socket)
    {
        _socket = socket;
        LocalPort = ((IPEndPoint)socket.LocalEndPoint!).Port;
    }

    /// <summary>This side's port: how the service's log names the connection (<c>127.0.0.1:port</c>).</summary>
    public int LocalPort { get; }

    /// <summary>Whether the service closed (or reset) the connection, as far as this side has seen.</summary>
    public bool ClosedByPeer { get; private set; }

    public static async Task<HostileConnection> ConnectAsync(string address, int receiveBufferSize = 0)
    {
        (string host, int port) = RpcAddress.ParseHostPort(address);
        Socket socket = new(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            if (receiveBufferSize > 0)
            {
                socket.ReceiveBufferSize = receiveBufferSize;
            }

            using CancellationTokenSource timeout = new(Bound);
            await socket.ConnectAsync(IPAddress.Parse(host), port, timeout.Token);
            return new HostileConnection(socket);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Wraps a connection a hostile listener accepted from a service that connects out.</summary>
    public static HostileConnection FromAccepted(Socket socket) => new(socket);

    /// <summary>Sends <paramref name="bytes"/>, in random chunks when <paramref name="chunks"/> is given; false when the service had closed the connection.</summary>
    public async Task<bool> SendAsync(ReadOnlyMemory<byte> bytes, Random? chunks = null)
    {
        try
        {
            while (!bytes.IsEmpty)
            {
                int size = chunks is null ? bytes.Length : Math.Min(bytes.Length, chunks.Next(4) == 0 ? 1 + chunks.Next(3) : 1 + chunks.Next(Math.Max(1, bytes.Length)));
                using CancellationTokenSource timeout = new(Bound);
                int sent = await _socket.SendAsync(bytes[..size], SocketFlags.None, timeout.Token);
                bytes = bytes[sent..];
                if (chunks is not null && chunks.Next(8) == 0)
                {
                    // Let the service read what has arrived, so that it sees a frame in pieces.
                    await Task.Delay(1);
                }
            }

            return true;
        }
        catch (SocketException exception) when (exception.SocketErrorCode is SocketError.ConnectionReset or SocketError.ConnectionAborted or SocketError.Shutdown)
        {
            return false;
        }
        catch (IOException)
        {
            return false;
        }
    }

    /// <summary>Tells the service that nothing more will come (TCP FIN), as a peer does that closes mid-frame.</summary>
    public void ShutdownSend()
    {
        try
        {
            _socket.Shutdown(SocketShutdown.Send);
        }
        catch (SocketException)
        {
            // Already reset by the service.
        }
    }

    /// <summary>Drops the connection with a TCP reset instead of a clean close.</summary>
    public void Reset()
    {
        _socket.LingerState = new LingerOption(true, 0);
        _socket.Close();
    }

    /// <summary>
    /// Sends the preamble and a Hello, reads the preamble and Welcome, sends Proof, reads Ready; then, unless
    /// <paramref name="exchangeContracts"/> is false, exchanges the contracts of <see cref="ContractedGateways"/>.
    /// </summary>
    public async Task HandshakeAsync(string nodeId, int maxFrameSize = 1024 * 1024, bool exchangeContracts = true)
    {
        byte[] preamble = Preamble();
        byte[] hello = Encode(FrameType.Hello, frame => new HelloFrame(nodeId, null, Handshake.NewNonce(), maxFrameSize, false, []).Write(frame));
        Assert.True(await SendAsync((byte[])[.. preamble, .. hello]), "the service closed the connection during a valid handshake");

        byte[]? serverPreamble = await ReadBytesAsync(Frames.PreambleSize, Bound);
        Assert.NotNull(serverPreamble);
        Assert.Equal(Frames.ProtocolVersion, Frames.ReadPreamble(serverPreamble));
        (FrameType type, byte[] body)? welcome = await ReadFrameAsync(Bound);
        Assert.Equal(FrameType.Welcome, welcome?.type);
        HelloFrame.Read(new ReadOnlySequence<byte>(welcome!.Value.body));

        Assert.True(await SendAsync(Encode(FrameType.Proof, frame => ProofFrame.Write(frame, [], []))), "the service closed the connection during a valid handshake");
        (FrameType type, byte[] body)? ready = await ReadFrameAsync(Bound);
        Assert.Equal(FrameType.Ready, ready?.type);

        // As a caller does before its first call on each gateway: this side's contracts, answered with the service's own.
        foreach (RpcGatewayDescriptor gateway in exchangeContracts ? ContractedGateways : [])
        {
            Assert.True(await SendAsync(WireRequests.Contract(gateway)), "the service closed the connection after a valid contract");
            (FrameType type, byte[] body)? answer = await ReadFrameAsync(Bound);
            Assert.Equal(FrameType.Contract, answer?.type);
            Assert.Equal(gateway.Name, ContractFrame.Read(new ReadOnlySequence<byte>(answer!.Value.body)).Name);
        }
    }

    /// <summary>The gateways whose contracts <see cref="HandshakeAsync"/> exchanges: calls on them are decoded.</summary>
    public static RpcGatewayDescriptor[] ContractedGateways => [RpcGatewayRegistry.Get<IProbeGateway>(), RpcGatewayRegistry.Get<IFuzzTargetGateway>()];

    /// <summary>A new array holding this version's preamble, which the caller may alter.</summary>
    public static byte[] Preamble()
    {
        byte[] preamble = new byte[Frames.PreambleSize];
        Frames.WritePreamble(preamble);
        return preamble;
    }

    /// <summary>Encodes one frame with the transport's own frame buffer.</summary>
    public static byte[] Encode(FrameType type, Action<FrameBuffer> write)
    {
        FrameBuffer frame = FrameBuffer.Rent(type);
        try
        {
            write(frame);
            return frame.Complete().ToArray();
        }
        finally
        {
            frame.Return();
        }
    }

    /// <summary>Reads exactly <paramref name="count"/> bytes; null when the service closed first.</summary>
    public async Task<byte[]?> ReadBytesAsync(int count, TimeSpan timeout)
    {
        if (!await FillAsync(count, timeout))
        {
            return null;
        }

        byte[] bytes = _received.AsSpan(0, count).ToArray();
        Consume(count);
        return bytes;
    }

    /// <summary>Reads one whole frame; null when the service closed first. Fails the test if nothing comes within <paramref name="timeout"/>.</summary>
    public async Task<(FrameType Type, byte[] Body)?> ReadFrameAsync(TimeSpan timeout)
    {
        if (!await FillAsync(Frames.HeaderSize, timeout))
        {
            return null;
        }

        int length = BitConverter.ToInt32(_received, 0);
        Assert.True(length >= 1 && length <= 64 * 1024 * 1024, $"the service sent a frame that declares {length} bytes");
        if (!await FillAsync(4 + length, timeout))
        {
            return null;
        }

        (FrameType, byte[]) frame = ((FrameType)_received[4], _received.AsSpan(Frames.HeaderSize, length - 1).ToArray());
        Consume(4 + length);
        return frame;
    }

    /// <summary>
    /// Reads until the service closes the connection, collecting the frames it still sent; false when it neither closed
    /// nor said anything more within <paramref name="timeout"/> (a hang).
    /// </summary>
    public async Task<bool> WaitForCloseAsync(TimeSpan timeout, List<(FrameType Type, byte[] Body)> frames)
    {
        DateTime deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            TimeSpan left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero)
            {
                return false;
            }

            try
            {
                (FrameType, byte[])? frame = await ReadFrameAsync(left);
                if (frame is null)
                {
                    return true;
                }

                frames.Add(frame.Value);
            }
            catch (TimeoutException)
            {
                return false;
            }
        }
    }

    public void Dispose() => _socket.Dispose();

    // Receives until `count` bytes are buffered: true, or false when the service closed first; throws TimeoutException.
    private async Task<bool> FillAsync(int count, TimeSpan timeout)
    {
        if (_received.Length < count)
        {
            Array.Resize(ref _received, Math.Max(count, _received.Length * 2));
        }

        using CancellationTokenSource cancel = new(timeout);
        while (_receivedCount < count)
        {
            if (ClosedByPeer)
            {
                return false;
            }

            int read;
            try
            {
                read = await _socket.ReceiveAsync(_received.AsMemory(_receivedCount), SocketFlags.None, cancel.Token);
            }
            catch (OperationCanceledException exception)
            {
                throw new TimeoutException($"the service neither sent {count - _receivedCount} more bytes nor closed the connection within {timeout.TotalMilliseconds:0} ms", exception);
            }
            catch (SocketException exception) when (exception.SocketErrorCode is SocketError.ConnectionReset or SocketError.ConnectionAborted)
            {
                read = 0;
            }

            if (read == 0)
            {
                ClosedByPeer = true;
                return false;
            }

            _receivedCount += read;
        }

        return true;
    }

    private void Consume(int count)
    {
        _received.AsSpan(count, _receivedCount - count).CopyTo(_received);
        _receivedCount -= count;
    }
}
