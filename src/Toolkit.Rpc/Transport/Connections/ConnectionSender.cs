using System.Diagnostics;
using Toolkit.Rpc.Transport.Protocol;

namespace Toolkit.Rpc.Transport;

/// <summary>
/// A connection's sending side. Frames are encoded outside any lock (<see cref="FrameBuffer"/>), then copied into one
/// queue under a short lock. One sender at a time, a work item queued by the caller that found none running, takes the
/// whole queue and writes it with one write, and keeps writing while more queued up meanwhile: many calls, one flush.
/// Until the handshake is done the queue only fills, so calls made while connecting keep their order and go out after.
/// </summary>
internal sealed class ConnectionSender : IThreadPoolWorkItem
{
    private const int QueueSize = 64 * 1024;
    private const int KeptQueueSize = 1024 * 1024;

    // Bytes of held frames that are written at once all the same (see Enqueue); about 20 small calls.
    private const int HeldWriteThreshold = 4096;

    private readonly RpcConnection _connection;
    private readonly int _maxQueuedBytes;
    private readonly CancellationToken _closing;
    private readonly Lock _lock = new();
    private Stream? _stream;

    // Guarded by _lock.
    private byte[] _queue = new byte[QueueSize];
    private int _queued;
    private int _inTransit;
    private byte[]? _spare;
    private bool _sending;
    private int _holds;
    private long _heldSince;
    private bool _holdBroken;
    private bool _open;
    private bool _closed;

    public ConnectionSender(RpcConnection connection, int maxQueuedBytes, CancellationToken closing)
    {
        _connection = connection;
        _maxQueuedBytes = maxQueuedBytes;
        _closing = closing;
    }

    /// <summary>Woken when queue room or a call slot may have been freed, and when the connection closes.</summary>
    public WaitQueue RoomFreed { get; } = new();

    /// <summary>The bytes queued or being written.</summary>
    public int QueuedBytes
    {
        get
        {
            lock (_lock)
            {
                return _queued + _inTransit;
            }
        }
    }

    /// <summary>Whether the send queue has room for <paramref name="size"/> more bytes.</summary>
    public bool HasRoom(int size)
    {
        lock (_lock)
        {
            return RoomFor(size);
        }
    }

    /// <summary>The handshake is done: from now on frames go out on <paramref name="stream"/>, starting with those queued meanwhile.</summary>
    public void Open(Stream stream)
    {
        _stream = stream;
        bool schedule;
        lock (_lock)
        {
            _open = true;
            schedule = _queued > 0 && !_sending && !_closed;
            _sending |= schedule;
        }

        if (schedule)
        {
            ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
        }
    }

    /// <summary>The connection closed: nothing more is queued. Returns the bytes that were queued and never sent.</summary>
    public int Close()
    {
        int unsent;
        lock (_lock)
        {
            _closed = true;
            unsent = _queued;
        }

        RoomFreed.WakeAll();
        return unsent;
    }

    /// <summary>
    /// Copies a complete frame into the send queue. Returns false when the connection closed, or — unless
    /// <paramref name="force"/> — when the queue is full (<see cref="RpcTransportOptions.MaxQueuedBytes"/>).
    /// </summary>
    public bool Enqueue(ReadOnlySpan<byte> frame, bool force = false)
    {
        bool send;
        bool writeNow = false;
        lock (_lock)
        {
            if (_closed || (!force && !RoomFor(frame.Length)))
            {
                return false;
            }

            if (_queue.Length - _queued < frame.Length)
            {
                Array.Resize(ref _queue, (int)Math.Min(Array.MaxLength, Math.Max((long)_queue.Length * 2, (long)_queued + frame.Length)));
            }

            frame.CopyTo(_queue.AsSpan(_queued));
            _queued += frame.Length;
            send = _open && !_sending && (_holds == 0 || _holdBroken);
            _sending |= send;

            // Held, but enough for a write of its own: write it now, on this thread, so that the peer starts on these
            // frames while the holder produces the rest — the two sides work at once instead of taking turns.
            if (!send && _open && !_sending && _queued >= HeldWriteThreshold)
            {
                _sending = true;
                writeNow = true;
            }
        }

        if (writeNow)
        {
            _ = SendQueuedAsync();
            return true;
        }

        // The write runs as a work item, so that frames queued meanwhile join it. On an endpoint's main thread it goes
        // to this thread's own queue and runs when the current turn is over: every reply of the turn, one write. From
        // elsewhere (callers, the read loop) it goes where an idle thread takes it at once, while the caller goes on.
        if (send)
        {
            ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: RpcEndpoint.OnAnyMainThread);
        }

        return true;
    }

    void IThreadPoolWorkItem.Execute() => _ = SendQueuedAsync();

    /// <summary>Holds frames queued from now on until <see cref="Release"/>, to send them in one write.</summary>
    public void Hold()
    {
        lock (_lock)
        {
            if (_holds++ == 0)
            {
                _heldSince = Stopwatch.GetTimestamp();
            }
        }
    }

    /// <summary>Ends a <see cref="Hold"/>; the last one writes what queued up meanwhile, on this thread.</summary>
    public void Release()
    {
        bool send;
        lock (_lock)
        {
            _holds--;
            _holdBroken &= _holds > 0;
            send = _holds == 0 && _open && !_sending && _queued > 0 && !_closed;
            _sending |= send;
        }

        if (send)
        {
            _ = SendQueuedAsync();
        }
    }

    /// <summary>
    /// Called by the service's watchdog: sends held for longer than <paramref name="stallTicks"/> — by code that
    /// blocks while it holds them, say a caller waiting synchronously for a call it just made — go out without waiting
    /// for the hold to end, and so do later ones until it ends.
    /// </summary>
    public void CheckHeld(long now, long stallTicks)
    {
        bool send;
        long heldFor;
        lock (_lock)
        {
            heldFor = now - _heldSince;
            if (_holds == 0 || _holdBroken || heldFor < stallTicks)
            {
                return;
            }

            _holdBroken = true;
            send = _open && !_sending && _queued > 0 && !_closed;
            _sending |= send;
        }

        TransportLog.HoldBroken(_connection.Logger, _connection.DisplayAddress, Stopwatch.GetElapsedTime(now - heldFor, now));
        if (send)
        {
            ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
        }
    }

    // Guarded by _lock. An empty queue always takes a frame (a frame is at most MaxFrameSize, within the limit).
    private bool RoomFor(int size) => _queued + _inTransit + size <= _maxQueuedBytes || _queued + _inTransit == 0;

    private async Task SendQueuedAsync()
    {
        try
        {
            while (true)
            {
                byte[] batch;
                int length;
                lock (_lock)
                {
                    if (_queued == 0 || _closed)
                    {
                        _sending = false;
                        return;
                    }

                    batch = _queue;
                    length = _queued;
                    _queue = _spare ?? new byte[QueueSize];
                    _spare = null;
                    _queued = 0;
                    _inTransit = length;
                }

                await _stream!.WriteAsync(batch.AsMemory(0, length), _closing).ConfigureAwait(false);
                lock (_lock)
                {
                    _inTransit = 0;
                    if (batch.Length <= KeptQueueSize && _spare is null)
                    {
                        _spare = batch;
                    }
                }

                RoomFreed.WakeAll();
            }
        }
        catch (Exception exception)
        {
            lock (_lock)
            {
                _sending = false;
            }

            _connection.Close(exception is OperationCanceledException ? new IOException("the connection is closing") : new IOException($"sending failed: {exception.Message}", exception));
        }
    }
}
