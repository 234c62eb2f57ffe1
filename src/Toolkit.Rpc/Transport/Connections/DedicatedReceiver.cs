using System.Buffers;
using System.Buffers.Binary;
using System.Diagnostics;
using System.IO.Pipelines;
using System.Net.Sockets;

namespace Toolkit.Rpc.Transport;

/// <summary>
/// The reader of a plain TCP connection: a dedicated thread that receives, parses, and then runs what it read itself —
/// the callers of the replies continue on it, and the endpoints its requests made runnable take their turns on it —
/// so that a call crosses no thread inside either process. Replies and the calls made meanwhile go out in one write.
/// </summary>
/// <remarks>
/// Waiting for data, the thread first polls the socket for <see cref="RpcTransportOptions.ReceiveSpin"/> (at most half
/// the cores' worth of readers at a time), then sleeps in <c>poll</c>: a busy connection never pays for waking a
/// halted core, an idle one costs nothing. Code that runs on the reader can block it (a caller that waits
/// synchronously, a slow endpoint method); the service's watchdog then hands the reading, and whatever the stuck
/// thread had not yet run, to a fresh thread (<see cref="Check"/>), so one stuck caller never stalls a connection.
/// </remarks>
internal sealed class DedicatedReceiver : FrameReceiver
{
    private const int ReceiveBufferSize = 64 * 1024;
    private const int ShrinkAbove = 1024 * 1024;
    private const int PollMicroseconds = 250_000;

    // Published when a read brought requests but no replies; never written to.
    private static readonly List<RemoteCall> NoReplies = [];

    private static readonly int MaxSpinningReaders = Math.Max(1, Environment.ProcessorCount / 2);
    private static int s_spinningReaders;

    // epoch * 2 while the reader thread of that epoch receives and parses; epoch * 2 + 1 while it runs callers' and
    // endpoints' code. The watchdog moves a reader stuck in that code to the next epoch, on a new thread.
    private long _readerState;
    private long _readerBusySince;

    // What the reader runs after parsing a read, published for the watchdog: the replies, then the endpoints its
    // requests made runnable. Both stay unchanged while it runs them; it takes them one at a time through _work,
    // (epoch << 32) | next index, by compare-and-swap, so that the watchdog can take the rest at once by moving _work
    // to the next epoch.
    private List<RemoteCall> _publishing = [];
    private List<RpcEndpoint> _runnable = [];
    private long _work;

    // The receive buffer, owned by the reader of the current epoch: _received bytes from the start.
    private byte[] _receiveBuffer = [];
    private int _received;

    private readonly FrameDispatcher _dispatcher;
    private readonly long _receiveSpinTicks; // RpcTransportOptions.ReceiveSpin, in Stopwatch ticks

    public DedicatedReceiver(RpcConnection connection)
        : base(connection)
    {
        _dispatcher = connection.Dispatcher;
        _receiveSpinTicks = (long)(connection.Options.ReceiveSpin.TotalSeconds * Stopwatch.Frequency);
    }

    /// <summary>
    /// Starts the connection's thread: it shakes hands with <paramref name="handshake"/> — whose I/O, through a
    /// <see cref="PollingSocketStream"/>, is synchronous — and then, if the connection opened, reads.
    /// </summary>
    public override void Start(Func<Task> handshake) => StartThread(_ =>
    {
        handshake().GetAwaiter().GetResult();
        if (Connection.IsOpen)
        {
            ReceiveLoop(0L);
        }
    }, null);

    /// <summary>A reader for the next epoch, after the watchdog took the reading from a stuck one.</summary>
    private void StartReaderThread(long epoch) => StartThread(ReceiveLoop, epoch);

    private static void StartThread(ParameterizedThreadStart run, object? state) =>
        new Thread(run) { IsBackground = true, Name = "Toolkit.Rpc reader" }.UnsafeStart(state);

    /// <summary>Keeps what the handshake read past its last frame: the first frames after it. The thread that shook hands reads on.</summary>
    public override void Opened(PipeReader handshakeReader)
    {
        _receiveBuffer = new byte[ReceiveBufferSize];
        if (handshakeReader.TryRead(out ReadResult leftover))
        {
            ReadOnlySequence<byte> bytes = leftover.Buffer;
            if (bytes.Length > _receiveBuffer.Length)
            {
                _receiveBuffer = new byte[bytes.Length];
            }

            bytes.CopyTo(_receiveBuffer);
            _received = (int)bytes.Length;
            handshakeReader.AdvanceTo(bytes.End);
        }

        handshakeReader.Complete();
    }

    private void ReceiveLoop(object? state)
    {
        long epoch = (long)state!;
        Socket socket = Connection.Socket!;
        List<RpcEndpoint> collected = [];
        using CoreContention? contention = _receiveSpinTicks > 0 ? CoreContention.ForCurrentThread() : null;
        Exception reason;
        bool takenOver = false;
        try
        {
            while (true)
            {
                if (_received > 0)
                {
                    if (HandleReceived(epoch, collected))
                    {
                        // Another thread reads now, and owns the parsing state: leave it all alone.
                        takenOver = true;
                        return;
                    }

                    while (Connection.NextReadingPause() is { } pause)
                    {
                        pause.Wait(Connection.Closing);
                    }
                }

                MakeReceiveRoom();
                int read = Receive(socket, _receiveBuffer.AsSpan(_received), contention);
                if (read == 0)
                {
                    reason = PeerClosed(_received);
                    break;
                }

                _received += read;
            }
        }
        catch (Exception exception) when (Connection.IsClosed && exception is OperationCanceledException or ObjectDisposedException or SocketException or AggregateException)
        {
            reason = new IOException("the connection was closed");
        }
        catch (Exception exception)
        {
            reason = ReadFailure(exception);
        }
        finally
        {
            // Parsed but not run (a malformed frame came after them): they must not be lost.
            if (!takenOver)
            {
                HandOverRunnable(collected);
                _dispatcher.HandOverReplies();
            }
        }

        Connection.Close(reason);
    }

    /// <summary>
    /// Parses every complete frame received, then runs what they made runnable: the callers of the replies continue,
    /// the endpoints take their turns. Returns true when the watchdog gave the reading to another thread meanwhile.
    /// </summary>
    private bool HandleReceived(long epoch, List<RpcEndpoint> collected)
    {
        ReadOnlySequence<byte> buffer = new(_receiveBuffer, 0, _received);
        RpcEndpoint.CollectRunners(collected);
        try
        {
            _dispatcher.HandleFrames(ref buffer);
        }
        finally
        {
            RpcEndpoint.CollectRunners(null);
            int left = (int)buffer.Length;
            _receiveBuffer.AsSpan(_received - left, left).CopyTo(_receiveBuffer);
            _received = left;
        }

        List<RemoteCall>? taken = _dispatcher.TakeReplies();
        if (taken is null && collected.Count == 0)
        {
            return false;
        }

        long running = (epoch * 2) + 1;
        List<RemoteCall> replies = taken ?? NoReplies;
        _publishing = replies;
        _runnable = collected;
        Volatile.Write(ref _work, epoch << 32);
        Volatile.Write(ref _readerBusySince, Stopwatch.GetTimestamp());
        Volatile.Write(ref _readerState, running);

        Connection.HoldSends();
        try
        {
            while (TakeWork(epoch, replies, collected) is { } work)
            {
                if (work is RemoteCall call)
                {
                    ReplyBatch.Publish(Connection, call);
                }
                else
                {
                    ((RpcEndpoint)work).RunCollectedTurns();
                }
            }
        }
        finally
        {
            Connection.ReleaseSends();
        }

        if (Interlocked.CompareExchange(ref _readerState, epoch * 2, running) != running)
        {
            return true;
        }

        // This thread ran them all and the watchdog can no longer take them: the lists serve the next read.
        collected.Clear();
        if (replies != NoReplies)
        {
            replies.Clear();
            _dispatcher.KeepSpare(replies);
        }

        return false;
    }

    /// <summary>The next reply to hand over or endpoint to run; null when none is left or another thread reads now.</summary>
    private object? TakeWork(long epoch, List<RemoteCall> replies, List<RpcEndpoint> runnable)
    {
        while (true)
        {
            long work = Volatile.Read(ref _work);
            int index = (int)work;
            if (work >> 32 != epoch || index >= replies.Count + runnable.Count)
            {
                return null;
            }

            if (Interlocked.CompareExchange(ref _work, work + 1, work) == work)
            {
                return index < replies.Count ? replies[index] : runnable[index - replies.Count];
            }
        }
    }

    /// <summary>
    /// Called by the service's watchdog: when the reader has been running callers' or endpoints' code for longer than
    /// <paramref name="stallTicks"/>, a new thread takes over the reading, and what the stuck one had not run yet goes
    /// to the thread pool. The stuck thread finishes what it is in, then ends.
    /// </summary>
    public override void Check(long now, long stallTicks)
    {
        long state = Volatile.Read(ref _readerState);
        if ((state & 1) == 0 || now - Volatile.Read(ref _readerBusySince) < stallTicks || Connection.IsClosed
            || Interlocked.CompareExchange(ref _readerState, state + 1, state) != state)
        {
            return;
        }

        // Won: the stuck thread takes nothing more, and what it had not taken goes to the pool.
        long epoch = state / 2;
        int next = (int)Interlocked.Exchange(ref _work, (epoch + 1) << 32);
        List<RemoteCall> replies = _publishing;
        List<RpcEndpoint> runnable = _runnable;
        TransportLog.ReaderTakenOver(Connection.Logger, Connection.DisplayAddress, Stopwatch.GetElapsedTime(Volatile.Read(ref _readerBusySince), now));
        if (next < replies.Count)
        {
            ThreadPool.UnsafeQueueUserWorkItem(new ReplyBatch(Connection, replies.GetRange(next, replies.Count - next)), preferLocal: false);
        }

        for (int index = Math.Max(0, next - replies.Count); index < runnable.Count; index++)
        {
            runnable[index].QueueCollectedTurns();
        }

        StartReaderThread(epoch + 1);
    }

    private static void HandOverRunnable(List<RpcEndpoint> runnable)
    {
        foreach (RpcEndpoint endpoint in runnable)
        {
            endpoint.QueueCollectedTurns();
        }

        runnable.Clear();
    }

    /// <summary>Makes room to receive into: moves nothing (frames are parsed from the start), grows for a large frame, shrinks after one.</summary>
    private void MakeReceiveRoom()
    {
        if (_received < _receiveBuffer.Length)
        {
            if (_receiveBuffer.Length > ShrinkAbove && _received <= ReceiveBufferSize / 2)
            {
                byte[] smaller = new byte[ReceiveBufferSize];
                _receiveBuffer.AsSpan(0, _received).CopyTo(smaller);
                _receiveBuffer = smaller;
            }

            return;
        }

        // Full, and no frame in it is complete: it holds the start of one frame larger than the buffer, whose length
        // the frame decoder has checked against the limit.
        int frameSize = 4 + BinaryPrimitives.ReadInt32LittleEndian(_receiveBuffer);
        byte[] larger = new byte[Math.Max(frameSize, _receiveBuffer.Length)];
        _receiveBuffer.CopyTo(larger, 0);
        _receiveBuffer = larger;
    }

    /// <summary>
    /// Receives into <paramref name="into"/>: polls for a moment, unless the cores are oversubscribed
    /// (<paramref name="contention"/>), then sleeps until data comes. 0 means the peer closed.
    /// </summary>
    private int Receive(Socket socket, Span<byte> into, CoreContention? contention)
    {
        int read = socket.Receive(into, SocketFlags.None, out SocketError error);
        if (error != SocketError.WouldBlock)
        {
            return Received(read, error);
        }

        long now = Stopwatch.GetTimestamp();
        if (_receiveSpinTicks > 0 && contention?.IsContended(now) != true)
        {
            try
            {
                if (Interlocked.Increment(ref s_spinningReaders) <= MaxSpinningReaders)
                {
                    long until = now + _receiveSpinTicks;
                    do
                    {
                        // Idle anyway: this reader does the watchdog's looking, so that its thread need not wake.
                        TransportWatchdog.OnSpin(now);
                        Thread.SpinWait(10);
                        read = socket.Receive(into, SocketFlags.None, out error);
                        if (error != SocketError.WouldBlock)
                        {
                            return Received(read, error);
                        }

                        now = Stopwatch.GetTimestamp();
                    }
                    while (now < until);
                }
            }
            finally
            {
                Interlocked.Decrement(ref s_spinningReaders);
            }
        }

        while (true)
        {
            socket.Poll(PollMicroseconds, SelectMode.SelectRead);
            Connection.Closing.ThrowIfCancellationRequested();
            read = socket.Receive(into, SocketFlags.None, out error);
            if (error != SocketError.WouldBlock)
            {
                return Received(read, error);
            }
        }
    }

    private static int Received(int read, SocketError error) => error == SocketError.Success ? read : throw new SocketException((int)error);
}
