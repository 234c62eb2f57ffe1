using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Toolkit.Rpc.Transport.Protocol;

namespace Toolkit.Rpc.Transport;

/// <summary>
/// One TCP connection between two services, used in both directions: calls from either side are multiplexed by
/// call id, replies come back on it, and a client-mode service is called back over the connection it opened.
/// </summary>
/// <remarks>
/// Outgoing frames are encoded outside any lock (<see cref="FrameBuffer"/>), then copied into one queue under a
/// short lock. One sender at a time, a work item queued by the caller that found none running, takes the whole queue
/// and writes it with one write, and keeps writing while more queued up meanwhile: many calls, one flush. Until
/// the handshake is done the queue only fills, so calls made while connecting keep their order and go out after it.
/// Incoming frames are parsed by one read loop, which queues calls into endpoint mailboxes in arrival order.
/// </remarks>
[DebuggerDisplay("{DisplayAddress,nq} ({State})")]
internal sealed partial class RpcConnection : IThreadPoolWorkItem
{
    private const int Connecting = 0;
    private const int Open = 1;
    private const int Closed = 2;
    private const int QueueSize = 64 * 1024;
    private const int KeptQueueSize = 1024 * 1024;

    // Bytes of held frames that are written at once all the same (see Enqueue); about 20 small calls.
    private const int HeldWriteThreshold = 4096;

    private readonly RpcService _service;
    private readonly RpcTransportOptions _options;
    private readonly ILogger _logger;
    private readonly long _receiveSpinTicks; // RpcTransportOptions.ReceiveSpin, in Stopwatch ticks
    private readonly Lock _sendLock = new();
    private readonly PendingCallTable _calls = new();
    // Inbound calls whose method takes a CancellationToken: by id for cancel frames, and all of them (a peer may reuse
    // an id) to cancel when the connection closes.
    private readonly ConcurrentDictionary<long, InboundCall> _cancellable = new();
    private readonly ConcurrentDictionary<InboundCall, byte> _cancellableCalls = new();
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _closing = new();
    private readonly WaitQueue _roomFreed = new();
    private readonly WaitQueue _inboundSlotFreed = new();
    private Socket? _socket;
    private Stream? _stream;
    private int _state;
    private Exception? _closeFailure;
    private long _lastCallId;
    private int _outstanding;
    private int _inboundOutstanding;

    // Guarded by _sendLock.
    private byte[] _queue = new byte[QueueSize];
    private int _queued;
    private int _inTransit;
    private byte[]? _spare;
    private bool _sending;
    private int _sendHolds;
    private long _heldSince;
    private bool _holdBroken;
    private bool _open;
    private bool _closed;

    private RpcConnection(RpcService service, string displayAddress, bool isInbound)
    {
        _service = service;
        _options = service.Options.Transport;
        _logger = service.TransportLogger;
        DisplayAddress = displayAddress;
        IsInbound = isInbound;
        PeerMaxFrameSize = _options.MaxFrameSize;
        _receiveSpinTicks = (long)(_options.ReceiveSpin.TotalSeconds * Stopwatch.Frequency);
        Contracts = new PeerContracts(this);
        // Nobody awaits Ready when a connection fails before its first call: observe the failure here.
        _ready.Task.ContinueWith(static task => _ = task.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    public RpcService Service => _service;

    /// <summary>The peer's contracts as far as this connection has exchanged them; the context calls and replies are read with.</summary>
    public PeerContracts Contracts { get; }

    /// <summary>How call sites and errors name the peer: <c>rpc://host:port</c>, or a client-mode node.</summary>
    public string DisplayAddress { get; private set; }

    public bool IsInbound { get; }

    /// <summary>The peer, once the handshake is done.</summary>
    public RpcPeer? Peer { get; private set; }

    /// <summary>The largest frame the peer accepts; this service's own limit until the handshake says.</summary>
    public int PeerMaxFrameSize { get; private set; }

    /// <summary>Completes when the handshake is done; faults when connecting fails.</summary>
    public Task Ready => _ready.Task;

    public bool IsClosed => Volatile.Read(ref _state) == Closed;

    /// <summary>
    /// Why the connection closed (say, the connect was refused), once it has: what a call that finds it closed fails
    /// with, as the calls pending at the close did (<see cref="RemoteCall.OnConnectionClosed"/>).
    /// </summary>
    public Exception CloseReason => Volatile.Read(ref _closeFailure) ?? new RpcConnectionException(DisplayAddress, $"the connection to {DisplayAddress} closed");

    private string State => Volatile.Read(ref _state) switch { Connecting => "connecting", Open => "open", _ => "closed" };

    /// <summary>The smaller of both sides' frame limits: what a frame sent on this connection may take.</summary>
    public int FrameLimit => Math.Min(PeerMaxFrameSize, _options.MaxFrameSize);

    /// <summary>Starts connecting to <paramref name="host"/>:<paramref name="port"/>; the connection takes frames at once.</summary>
    public static RpcConnection Connect(RpcService service, string host, int port)
    {
        RpcConnection connection = new(service, RpcAddress.Scheme + RpcAddress.Format(host, port), isInbound: false);
        if (!service.Track(connection))
        {
            _ = Task.Run(() => connection.Close(new RpcConnectionException(connection.DisplayAddress, $"service {service.NodeId} is stopped and opens no connections.")));
        }
        else if (connection.UsesDedicatedReader)
        {
            connection.StartReaderThread(() => connection.RunClientAsync(host, port));
        }
        else
        {
            _ = Task.Run(() => connection.RunClientAsync(host, port));
        }

        return connection;
    }

    /// <summary>Takes an accepted socket through the server side of the handshake.</summary>
    public static void Accept(RpcService service, Socket socket)
    {
        RpcConnection connection = new(service, $"the peer at {socket.RemoteEndPoint}", isInbound: true) { _socket = socket };
        if (!service.Track(connection))
        {
            socket.Dispose();
        }
        else if (connection.UsesDedicatedReader)
        {
            connection.StartReaderThread(connection.RunServerAsync);
        }
        else
        {
            _ = Task.Run(connection.RunServerAsync);
        }
    }

    /// <summary>A fresh call id; never 0, which marks one-way calls.</summary>
    public long NextCallId() => Interlocked.Increment(ref _lastCallId);

    /// <summary>
    /// Makes <paramref name="call"/> findable by its id; false when the connection closed, or when the call timed out
    /// before it was findable (its timeout then found nothing to forget).
    /// </summary>
    public bool Register(RemoteCall call)
    {
        Interlocked.Increment(ref _outstanding);
        _calls.Add(call);
        // The table's lock orders this check after a timeout's Forget that found nothing, or before one that finds it.
        if ((IsClosed || call.IsDone) && _calls.TryRemove(call))
        {
            ReleaseSlot();
            return false;
        }

        return true;
    }

    /// <summary>Whether a new ask may take a slot now (<see cref="RpcTransportOptions.MaxPendingCalls"/>).</summary>
    public bool HasFreeSlot => Volatile.Read(ref _outstanding) < _options.MaxPendingCalls;

    /// <summary>Completes when a call slot or queue room may have been freed, the connection closed, or after <paramref name="poll"/>.</summary>
    public async Task WaitForRoomAsync(TimeSpan poll)
    {
        Task freed = _roomFreed.WaitAsync();
        if (IsClosed)
        {
            return;
        }

        await Task.WhenAny(freed, Task.Delay(poll)).ConfigureAwait(false);
    }

    /// <summary>The bytes queued or being written.</summary>
    public int QueuedBytes
    {
        get
        {
            lock (_sendLock)
            {
                return _queued + _inTransit;
            }
        }
    }

    /// <summary>Whether the send queue has room for <paramref name="size"/> more bytes.</summary>
    public bool HasQueueRoom(int size)
    {
        lock (_sendLock)
        {
            return RoomFor(size);
        }
    }

    /// <summary>Removes a call that completed without its reply (timeout, cancellation); tells the peer to cancel it.</summary>
    public void Forget(RemoteCall call, bool sendCancel)
    {
        if (_calls.TryRemove(call))
        {
            ReleaseSlot();
            if (sendCancel && !IsClosed)
            {
                FrameBuffer frame = FrameBuffer.Rent(FrameType.Cancel);
                CancelFrame.Write(frame, call.CallId);
                Enqueue(frame.Complete(), force: true);
                frame.Return();
            }
        }
    }

    /// <summary>Closes the connection: pending calls fail at once with <paramref name="reason"/>, in-flight inbound calls are cancelled.</summary>
    public void Close(Exception reason)
    {
        Exception failure = reason is RpcConnectionException ? reason : new RpcConnectionException(DisplayAddress, $"the connection to {DisplayAddress} closed: {reason.Message}", reason);
        Interlocked.CompareExchange(ref _closeFailure, failure, null);
        int previous = Interlocked.Exchange(ref _state, Closed);
        if (previous == Closed)
        {
            return;
        }

        int unsent;
        lock (_sendLock)
        {
            _closed = true;
            unsent = _queued;
        }

        _closing.Cancel();
        try
        {
            _stream?.Dispose();
            _socket?.Dispose();
        }
        catch (Exception)
        {
            // Closing is best effort: the socket may already be gone.
        }

        _service.Unregister(this);
        _ready.TrySetException(failure);
        foreach ((long callId, RemoteCall call) in _calls.TakeAll())
        {
            call.OnConnectionClosed(callId, failure);
        }

        foreach (InboundCall call in _cancellableCalls.Keys)
        {
            call.Cancel();
        }

        _roomFreed.WakeAll();
        _inboundSlotFreed.WakeAll();
        if (unsent > 0)
        {
            // Asks among them have failed above; one-way calls among them are lost, and this says so.
            TransportLog.Unsent(_logger, unsent, DisplayAddress);
        }

        if (reason is ProtocolViolationException)
        {
            TransportLog.ProtocolViolation(_logger, DisplayAddress, reason.Message);
        }
        else
        {
            TransportLog.Closed(_logger, DisplayAddress, reason.Message);
        }

        if (previous == Open && Peer is { } peer)
        {
            _service.NotifyRemoteDisconnected(peer);
        }
    }

    /// <summary>
    /// Copies a complete frame into the send queue. Returns false when the connection closed, or — unless
    /// <paramref name="force"/> — when the queue is full (<see cref="RpcTransportOptions.MaxQueuedBytes"/>).
    /// </summary>
    public bool Enqueue(ReadOnlySpan<byte> frame, bool force = false)
    {
        bool send;
        bool writeNow = false;
        lock (_sendLock)
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
            send = _open && !_sending && (_sendHolds == 0 || _holdBroken);
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

    /// <summary>Holds frames queued from now on until <see cref="ReleaseSends"/>, to send them in one write.</summary>
    public void HoldSends()
    {
        lock (_sendLock)
        {
            if (_sendHolds++ == 0)
            {
                _heldSince = Stopwatch.GetTimestamp();
            }
        }
    }

    /// <summary>Ends a <see cref="HoldSends"/>; the last one writes what queued up meanwhile, on this thread.</summary>
    public void ReleaseSends()
    {
        bool send;
        lock (_sendLock)
        {
            _sendHolds--;
            _holdBroken &= _sendHolds > 0;
            send = _sendHolds == 0 && _open && !_sending && _queued > 0 && !_closed;
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
    public void CheckHeldSends(long now, long stallTicks)
    {
        bool send;
        long heldFor;
        lock (_sendLock)
        {
            heldFor = now - _heldSince;
            if (_sendHolds == 0 || _holdBroken || heldFor < stallTicks)
            {
                return;
            }

            _holdBroken = true;
            send = _open && !_sending && _queued > 0 && !_closed;
            _sending |= send;
        }

        TransportLog.HoldBroken(_logger, DisplayAddress, Stopwatch.GetElapsedTime(now - heldFor, now));
        if (send)
        {
            ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
        }
    }

    // Guarded by _sendLock. An empty queue always takes a frame (a frame is at most MaxFrameSize, within the limit).
    private bool RoomFor(int size) => _queued + _inTransit + size <= _options.MaxQueuedBytes || _queued + _inTransit == 0;

    private void ReleaseSlot()
    {
        Interlocked.Decrement(ref _outstanding);
        _roomFreed.WakeAll();
    }

    private async Task SendQueuedAsync()
    {
        try
        {
            while (true)
            {
                byte[] batch;
                int length;
                lock (_sendLock)
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

                await _stream!.WriteAsync(batch.AsMemory(0, length), _closing.Token).ConfigureAwait(false);
                lock (_sendLock)
                {
                    _inTransit = 0;
                    if (batch.Length <= KeptQueueSize && _spare is null)
                    {
                        _spare = batch;
                    }
                }

                _roomFreed.WakeAll();
            }
        }
        catch (Exception exception)
        {
            lock (_sendLock)
            {
                _sending = false;
            }

            Close(exception is OperationCanceledException ? new IOException("the connection is closing") : new IOException($"sending failed: {exception.Message}", exception));
        }
    }

    /// <summary>Marks the handshake done: registers the connection, starts sending what queued up and reading.</summary>
    private void Opened(RpcPeer peer, int peerMaxFrameSize, System.IO.Pipelines.PipeReader reader)
    {
        Peer = peer;
        PeerMaxFrameSize = peerMaxFrameSize;
        if (IsInbound)
        {
            DisplayAddress = peer.ToString();
        }

        if (Interlocked.CompareExchange(ref _state, Open, Connecting) != Connecting)
        {
            return;
        }

        _service.Register(this);
        bool schedule;
        lock (_sendLock)
        {
            _open = true;
            schedule = _queued > 0 && !_sending && !_closed;
            _sending |= schedule;
        }

        if (schedule)
        {
            ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
        }

        TransportLog.Connected(_logger, peer.ToString(), IsInbound ? "inbound" : "outbound");
        _ready.TrySetResult();
        _service.NotifyRemoteConnected(peer);
        if (UsesDedicatedReader)
        {
            // The thread that shook hands reads on once the handshake method has returned.
            TakeHandshakeLeftover(reader);
        }
        else
        {
            _ = ReadLoopAsync(reader);
        }
    }

    /// <summary>A small list of waiters, all woken at once: for the rare slow paths of back-pressure.</summary>
    private sealed class WaitQueue
    {
        private readonly Lock _lock = new();
        private List<TaskCompletionSource>? _waiters;

        public Task WaitAsync()
        {
            TaskCompletionSource waiter = new(TaskCreationOptions.RunContinuationsAsynchronously);
            lock (_lock)
            {
                (_waiters ??= []).Add(waiter);
            }

            return waiter.Task;
        }

        public void WakeAll()
        {
            if (Volatile.Read(ref _waiters) is null)
            {
                return;
            }

            List<TaskCompletionSource>? waiters;
            lock (_lock)
            {
                waiters = _waiters;
                _waiters = null;
            }

            waiters?.ForEach(static waiter => waiter.TrySetResult());
        }
    }
}
