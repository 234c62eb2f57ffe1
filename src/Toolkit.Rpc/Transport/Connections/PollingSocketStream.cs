using System.Net;
using System.Net.Sockets;

namespace Toolkit.Rpc.Transport;

/// <summary>
/// A stream over a non-blocking socket that never uses the runtime's asynchronous socket engine: reads and writes
/// are system calls on the calling thread, and waiting is <c>poll</c> on that thread.
/// </summary>
/// <remarks>
/// A socket that once waited in an asynchronous operation stays registered with the runtime's <c>epoll</c> thread for
/// good, and every segment that arrives then wakes that thread and a pool thread — two wake-ups per call that a
/// dedicated reader exists to avoid. So a connection with a dedicated reader connects, shakes hands and writes
/// through this stream. A write the socket cannot take at once (the peer reads slowly) finishes on a pool thread,
/// so that the writer — possibly the reader itself — never blocks on its peer.
/// </remarks>
internal sealed class PollingSocketStream : Stream
{
    private const int PollSliceMicroseconds = 100_000;

    private readonly Socket _socket;

    public PollingSocketStream(Socket socket)
    {
        _socket = socket;
        _socket.Blocking = false;
    }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    /// <summary>
    /// Connects <paramref name="socket"/> without the asynchronous engine: a non-blocking connect, then <c>poll</c>
    /// until it is done or <paramref name="cancellation"/> fires (the connect timeout).
    /// </summary>
    public static void Connect(Socket socket, string host, int port, CancellationToken cancellation)
    {
        socket.Blocking = false;
        IPAddress[] addresses = IPAddress.TryParse(host, out IPAddress? literal) ? [literal] : Dns.GetHostAddresses(host);
        SocketException? failure = null;
        foreach (IPAddress address in addresses)
        {
            if (address.AddressFamily != socket.AddressFamily && !(socket.DualMode && address.AddressFamily == AddressFamily.InterNetwork))
            {
                continue;
            }

            try
            {
                socket.Connect(new IPEndPoint(address, port));
                return;
            }
            catch (SocketException exception) when (exception.SocketErrorCode is SocketError.WouldBlock or SocketError.InProgress)
            {
                Wait(socket, SelectMode.SelectWrite, cancellation);
                int error = (int)socket.GetSocketOption(SocketOptionLevel.Socket, SocketOptionName.Error)!;
                if (error == 0 && socket.Connected)
                {
                    return;
                }

                failure = new SocketException(error == 0 ? (int)SocketError.NotConnected : error);
            }
        }

        throw failure ?? new SocketException((int)SocketError.HostNotFound);
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer) => Read(buffer, CancellationToken.None);

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(Read(buffer.Span, cancellationToken));

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        Task.FromResult(Read(buffer.AsSpan(offset, count), cancellationToken));

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer) => SendAll(buffer, SendAvailable(buffer), CancellationToken.None);

    /// <summary>Writes what the socket takes now; the rest, if any, on a pool thread that waits for room.</summary>
    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        int sent = SendAvailable(buffer.Span);
        return sent == buffer.Length ? ValueTask.CompletedTask : SendRestLater(buffer, sent, cancellationToken);
    }

    // Apart from WriteAsync, whose every call would otherwise allocate this lambda's closure, used or not.
    private ValueTask SendRestLater(ReadOnlyMemory<byte> buffer, int sent, CancellationToken cancellationToken) =>
        new(Task.Run(() => SendAll(buffer.Span, sent, cancellationToken), cancellationToken));

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush()
    {
    }

    // Nothing is buffered; the base class would run the empty Flush on a pool thread, and the handshake would go on there.
    public override Task FlushAsync(CancellationToken cancellationToken) =>
        cancellationToken.IsCancellationRequested ? Task.FromCanceled(cancellationToken) : Task.CompletedTask;

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _socket.Dispose();
        }

        base.Dispose(disposing);
    }

    /// <summary>Waits in <c>poll</c>, in slices so that a cancellation or a closed socket is noticed.</summary>
    private static void Wait(Socket socket, SelectMode mode, CancellationToken cancellation)
    {
        while (!socket.Poll(PollSliceMicroseconds, mode))
        {
            cancellation.ThrowIfCancellationRequested();
        }

        cancellation.ThrowIfCancellationRequested();
    }

    private int Read(Span<byte> buffer, CancellationToken cancellation)
    {
        while (true)
        {
            int read = _socket.Receive(buffer, SocketFlags.None, out SocketError error);
            if (error == SocketError.Success)
            {
                return read;
            }

            if (error != SocketError.WouldBlock)
            {
                throw Failed("receiving", error);
            }

            Wait(_socket, SelectMode.SelectRead, cancellation);
        }
    }

    private int SendAvailable(ReadOnlySpan<byte> buffer)
    {
        int sent = 0;
        while (sent < buffer.Length)
        {
            int count = _socket.Send(buffer[sent..], SocketFlags.None, out SocketError error);
            if (error == SocketError.WouldBlock)
            {
                break;
            }

            if (error != SocketError.Success)
            {
                throw Failed("sending", error);
            }

            sent += count;
        }

        return sent;
    }

    private static IOException Failed(string what, SocketError error)
    {
        SocketException exception = new((int)error);
        return new IOException($"{what} failed: {exception.Message}", exception);
    }

    /// <summary>Sends <paramref name="buffer"/> from <paramref name="sent"/> on, waiting for room whenever the socket takes no more.</summary>
    private void SendAll(ReadOnlySpan<byte> buffer, int sent, CancellationToken cancellation)
    {
        while (sent < buffer.Length)
        {
            Wait(_socket, SelectMode.SelectWrite, cancellation);
            sent += SendAvailable(buffer[sent..]);
        }
    }
}
