using System.Collections.Concurrent;
using System.Diagnostics;
using System.IO.Pipelines;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Toolkit.Rpc.Transport.Protocol;

namespace Toolkit.Rpc.Transport;

/// <summary>
/// One TCP connection between two services, used in both directions: calls from either side are multiplexed by
/// call id, replies come back on it, and a client-mode service is called back over the connection it opened.
/// </summary>
/// <remarks>
/// This class is the connection's lifecycle — connect or accept, open, close — and its bookkeeping: the calls it
/// waits replies for, the inbound calls it runs, back-pressure. Its parts each do one thing: the
/// <see cref="ConnectionHandshake"/>, the <see cref="ConnectionSender"/>, a <see cref="FrameReceiver"/> that hands
/// what it reads to the <see cref="FrameDispatcher"/>, the <see cref="ReplySender"/>, and the <see cref="PeerContracts"/>.
/// </remarks>
[DebuggerDisplay("{DisplayAddress,nq} ({State})")]
internal sealed partial class RpcConnection
{
    private const int Connecting = 0;
    private const int Open = 1;
    private const int Closed = 2;

    private readonly TransportHost _service;
    private readonly PendingCallTable _calls = new();
    // Inbound calls whose method takes a CancellationToken: by id for cancel frames, and all of them (a peer may reuse
    // an id) to cancel when the connection closes.
    private readonly ConcurrentDictionary<long, InboundCall> _cancellable = new();
    private readonly ConcurrentDictionary<InboundCall, byte> _cancellableCalls = new();
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _closing = new();
    private readonly WaitQueue _inboundSlotFreed = new();
    private readonly ConnectionSender _sender;
    private readonly FrameReceiver _receiver;
    private int _state;
    private Exception? _closeFailure;
    private long _lastCallId;
    private int _outstanding;
    private int _inboundOutstanding;
    private Streams.ItemStreams? _streams;

    private RpcConnection(TransportHost service, string displayAddress, bool isInbound)
    {
        _service = service;
        Options = service.Options.Transport;
        Logger = service.TransportLogger;
        DisplayAddress = displayAddress;
        IsInbound = isInbound;
        PeerMaxFrameSize = Options.MaxFrameSize;
        Contracts = new PeerContracts(this) { MaxDepth = service.SerializationContext.MaxDepth };
        Replies = new ReplySender(this);
        Dispatcher = new FrameDispatcher(this);
        _sender = new ConnectionSender(this, Options.MaxQueuedBytes, _closing.Token);
        _receiver = UsesDedicatedReader ? new DedicatedReceiver(this) : new PipeReceiver(this);
        // Nobody awaits Ready when a connection fails before its first call: observe the failure here.
        _ready.Task.ContinueWith(static task => _ = task.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    /// <summary>The service the connection carries calls for, as the transport sees it.</summary>
    public TransportHost Host => _service;

    public RpcTransportOptions Options { get; }

    public ILogger Logger { get; }

    /// <summary>The peer's contracts as far as this connection has exchanged them; the context calls and replies are read with.</summary>
    public PeerContracts Contracts { get; }

    /// <summary>Encodes and queues replies to the calls this connection runs.</summary>
    public ReplySender Replies { get; }

    /// <summary>Handles the frames the receiver reads.</summary>
    public FrameDispatcher Dispatcher { get; }

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

    public bool IsOpen => Volatile.Read(ref _state) == Open;

    /// <summary>Cancelled when the connection closes.</summary>
    public CancellationToken Closing => _closing.Token;

    /// <summary>The connection's socket, set by the handshake's connect or by the listener's accept.</summary>
    public Socket? Socket { get; set; }

    /// <summary>The stream frames travel on (over the socket, maybe TLS), set by the handshake.</summary>
    public Stream? Stream { get; set; }

    /// <summary>Whether a thread of its own reads the connection (plain TCP), rather than a loop over a stream (TLS).</summary>
    public bool UsesDedicatedReader => Options.DedicatedReaders && Options.Tls is null;

    /// <summary>
    /// Why the connection closed (say, the connect was refused), once it has: what a call that finds it closed fails
    /// with, as the calls pending at the close did (<see cref="RemoteCall.OnConnectionClosed"/>).
    /// </summary>
    public Exception CloseReason => Volatile.Read(ref _closeFailure) ?? new RpcConnectionException(DisplayAddress, $"the connection to {DisplayAddress} closed");

    private string State => Volatile.Read(ref _state) switch { Connecting => "connecting", Open => "open", _ => "closed" };

    /// <summary>The smaller of both sides' frame limits: what a frame sent on this connection may take.</summary>
    public int FrameLimit => Math.Min(PeerMaxFrameSize, Options.MaxFrameSize);

    /// <summary>Whether a new ask may take a slot now (<see cref="RpcTransportOptions.MaxPendingCalls"/>).</summary>
    public bool HasFreeSlot => Volatile.Read(ref _outstanding) < Options.MaxPendingCalls;

    /// <summary>The asks sent on this connection that await their reply (or a slot to be sent in).</summary>
    public int PendingCalls => Volatile.Read(ref _outstanding);

    /// <summary>The calls from the peer that run here or wait in a mailbox.</summary>
    public int ActiveInboundCalls => Volatile.Read(ref _inboundOutstanding);

    /// <summary>The bytes queued or being written.</summary>
    public int QueuedBytes => _sender.QueuedBytes;

    /// <summary>Starts connecting to <paramref name="host"/>:<paramref name="port"/>; the connection takes frames at once.</summary>
    public static RpcConnection Connect(TransportHost service, string host, int port)
    {
        RpcConnection connection = new(service, RpcAddress.Scheme + RpcAddress.Format(host, port), isInbound: false);
        if (!service.Connections.Track(connection))
        {
            _ = Task.Run(() => connection.Close(new RpcConnectionException(connection.DisplayAddress, $"service {service.NodeId} is stopped and opens no connections.")));
        }
        else
        {
            connection._receiver.Start(() => new ConnectionHandshake(connection).RunClientAsync(host, port));
        }

        return connection;
    }

    /// <summary>Takes an accepted socket through the server side of the handshake.</summary>
    public static void Accept(TransportHost service, Socket socket)
    {
        RpcConnection connection = new(service, $"the peer at {socket.RemoteEndPoint}", isInbound: true) { Socket = socket };
        if (!service.Connections.Track(connection))
        {
            socket.Dispose();
        }
        else
        {
            connection._receiver.Start(new ConnectionHandshake(connection).RunServerAsync);
        }
    }

    /// <summary>A fresh call id; never 0, which marks one-way calls.</summary>
    /// <summary>The item streams open on this connection, made on its first stream.</summary>
    public Streams.ItemStreams Streams => Volatile.Read(ref _streams) ?? LazyInitializer.EnsureInitialized(ref _streams);

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

    /// <summary>Takes the call a reply names off the table, freeing its slot; null when it completed otherwise meanwhile.</summary>
    public RemoteCall? TakeCall(long callId)
    {
        if (!_calls.TryRemove(callId, out RemoteCall? call))
        {
            return null;
        }

        ReleaseSlot();
        return call;
    }

    /// <summary>Completes when a call slot or queue room may have been freed, the connection closed, or after <paramref name="poll"/>.</summary>
    public async Task WaitForRoomAsync(TimeSpan poll)
    {
        Task freed = _sender.RoomFreed.WaitAsync();
        if (IsClosed)
        {
            return;
        }

        await Task.WhenAny(freed, Task.Delay(poll)).ConfigureAwait(false);
    }

    /// <summary>Whether the send queue has room for <paramref name="size"/> more bytes.</summary>
    public bool HasQueueRoom(int size) => _sender.HasRoom(size);

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

    /// <inheritdoc cref="ConnectionSender.Enqueue"/>
    public bool Enqueue(ReadOnlySpan<byte> frame, bool force = false) => _sender.Enqueue(frame, force);

    /// <inheritdoc cref="ConnectionSender.Hold"/>
    public void HoldSends() => _sender.Hold();

    /// <inheritdoc cref="ConnectionSender.Release"/>
    public void ReleaseSends() => _sender.Release();

    /// <summary>Called by the service's watchdog: breaks holds on sends, and takes reading from a stuck reader, that last too long.</summary>
    public void CheckStalls(long now, long stallTicks)
    {
        _sender.CheckHeld(now, stallTicks);
        _receiver.Check(now, stallTicks);
    }

    /// <summary>A request was read and is about to run: it holds an inbound slot, and if it can be cancelled, it is findable by its id.</summary>
    public void InboundStarted(InboundCall call)
    {
        Interlocked.Increment(ref _inboundOutstanding);
        if (call.IsCancellable)
        {
            _cancellable[call.CallId] = call;
            _cancellableCalls.TryAdd(call, 0);
            if (IsClosed)
            {
                // Closed while this call was read: Close may have missed it.
                call.Cancel();
            }
        }
    }

    /// <summary>The peer gave up on call <paramref name="callId"/>: cancel the method's token, if it takes one.</summary>
    public void CancelInbound(long callId)
    {
        if (_cancellable.TryGetValue(callId, out InboundCall? cancelled))
        {
            cancelled.Cancel();
        }
    }

    /// <summary>An inbound call has been answered (or failed): it no longer holds a slot.</summary>
    public void InboundFinished(InboundCall call)
    {
        if (call.IsCancellable)
        {
            _cancellable.TryRemove(new KeyValuePair<long, InboundCall>(call.CallId, call));
            _cancellableCalls.TryRemove(call, out _);
        }

        if (Interlocked.Decrement(ref _inboundOutstanding) == Options.MaxPendingCalls - 1)
        {
            _inboundSlotFreed.WakeAll();
        }
    }

    /// <summary>
    /// Back-pressure: while the peer has as many calls in flight here as allowed, or the replies waiting to be sent to
    /// it fill the send queue (it does not read them), nothing more is read, so that TCP's window stops it instead of
    /// this service's memory growing. Returns what to wait for before checking again, or null to read on.
    /// </summary>
    public Task? NextReadingPause()
    {
        if (!MustPauseReading())
        {
            return null;
        }

        Task inboundFreed = _inboundSlotFreed.WaitAsync();
        Task roomFreed = _sender.RoomFreed.WaitAsync();
        return MustPauseReading() ? Task.WhenAny(inboundFreed, roomFreed) : null;
    }

    /// <summary>Marks the handshake done: registers the connection, starts sending what queued up and reading.</summary>
    public void Opened(RpcPeer peer, int peerMaxFrameSize, PipeReader reader)
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

        _service.Connections.Register(this);
        _sender.Open(Stream!);
        TransportLog.Connected(Logger, peer.ToString(), IsInbound ? "inbound" : "outbound");
        _ready.TrySetResult();
        _service.NotifyRemote(peer, connected: true);
        _receiver.Opened(reader);
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

        int unsent = _sender.Close();
        _closing.Cancel();
        ByteStreams?.Close(failure);
        try
        {
            Stream?.Dispose();
            Socket?.Dispose();
        }
        catch (Exception)
        {
            // Closing is best effort: the socket may already be gone.
        }

        _service.Connections.Unregister(this);
        _ready.TrySetException(failure);
        foreach ((long callId, RemoteCall call) in _calls.TakeAll())
        {
            call.OnConnectionClosed(callId, failure);
        }

        foreach (InboundCall call in _cancellableCalls.Keys)
        {
            call.Cancel();
        }

        _sender.RoomFreed.WakeAll();
        _inboundSlotFreed.WakeAll();
        if (unsent > 0)
        {
            // Asks among them have failed above; one-way calls among them are lost, and this says so.
            TransportLog.Unsent(Logger, unsent, DisplayAddress);
        }

        if (reason is ProtocolViolationException)
        {
            TransportLog.ProtocolViolation(Logger, DisplayAddress, reason.Message);
        }
        else
        {
            TransportLog.Closed(Logger, DisplayAddress, reason.Message);
        }

        if (previous == Open && Peer is { } peer)
        {
            _service.NotifyRemote(peer, connected: false);
        }
    }

    private bool MustPauseReading() =>
        !IsClosed && (Volatile.Read(ref _inboundOutstanding) >= Options.MaxPendingCalls || !HasQueueRoom(0));

    private void ReleaseSlot()
    {
        Interlocked.Decrement(ref _outstanding);
        _sender.RoomFreed.WakeAll();
    }
}
