using System.Buffers;
using System.Threading.Tasks.Sources;
using Toolkit.Rpc.Calls;
using Toolkit.Rpc.Gateways;
using Toolkit.Rpc.Serialization;
using Toolkit.Rpc.Transport.Protocol;

namespace Toolkit.Rpc.Transport;

/// <summary>
/// A call sent over a connection and awaiting its reply. Exactly one of the reply, the timeout, the caller's
/// cancellation and the connection's loss completes it (<see cref="PendingCall"/>'s compare-and-swap); a reply that
/// arrives after another outcome won finds no call under its id and is dropped.
/// </summary>
/// <remarks>
/// An ask's call is pooled, so the reader and a closing connection name the use they mean by its call id: one that
/// took a call from the connection's table just before another outcome won may reach the item when it already serves
/// a later call, which carries another id.
/// </remarks>
internal abstract class RemoteCall : PendingCall
{
    private RpcConnection? _connection;

    private protected RemoteCall()
    {
    }

    private protected RemoteCall(RpcConnection connection, long callId, RpcCallSite site) => Use(connection, callId, site);

    /// <summary>The connection of the current use.</summary>
    public RpcConnection Connection => _connection!;

    /// <summary>The call id of the current use.</summary>
    public long CallId { get; private set; }

    public RpcCallSite Site { get; private set; }

    public override MailboxItemKind Kind => MailboxItemKind.Call;

    /// <summary>Whether the current use already has its outcome.</summary>
    public bool IsDone => !IsPending(Token);

    // A remote call never enters a mailbox: the peer's dispatch runs it.
    public override void Execute(RpcEndpoint endpoint) => throw new InvalidOperationException("A remote call is not a mailbox item.");

    public override void Reject(RpcEndpoint endpoint, RpcEndpointState state) => throw new InvalidOperationException("A remote call is not a mailbox item.");

    /// <summary>
    /// The reply to call <paramref name="callId"/> arrived; runs while the connection's reader parses, which must not
    /// run the caller's code. Returns true when the call took the outcome and the reader must <see cref="Publish"/> it,
    /// with the other replies of its read.
    /// </summary>
    public abstract bool OnReply(long callId, ReplyStatus status, in ReadOnlySequence<byte> payload);

    /// <summary>Hands the outcome to the caller: its continuation runs here, inline, unless it awaits on an endpoint.</summary>
    public virtual void Publish()
    {
    }

    /// <summary>
    /// The connection closed before the reply to call <paramref name="callId"/>, or before it could be sent;
    /// <paramref name="reason"/> says why.
    /// </summary>
    public abstract void OnConnectionClosed(long callId, Exception reason);

    /// <summary>Starts a use: its connection, call id and site. A pooled call then publishes the use's token.</summary>
    private protected void Use(RpcConnection? connection, long callId, RpcCallSite site)
    {
        _connection = connection;
        CallId = callId;
        Site = site;
    }

    /// <summary>Turns an error reply to the call at <paramref name="site"/> into the exception the caller sees.</summary>
    /// <param name="site">The call.</param>
    /// <param name="method">The method called, whose declared faults come back as themselves; null for a lookup.</param>
    /// <param name="context">What the reply is read with: the connection's view of the peer's contracts.</param>
    /// <param name="status">The reply's status.</param>
    /// <param name="payload">What follows the status.</param>
    internal static Exception ReadFailure(RpcCallSite site, RpcMethodDescriptor? method, RpcSerializationContext? context, ReplyStatus status, in ReadOnlySequence<byte> payload)
    {
        try
        {
            RpcReader reader = new(payload, context);
            switch (status)
            {
                case ReplyStatus.Exception:
                    string type = reader.ReadString() ?? "System.Exception";
                    string message = reader.ReadString() ?? "";
                    string? stack = reader.ReadString();
                    return ReadFault(ref reader, method, stack) ?? new RpcRemoteException(site, type, message, stack);
                case ReplyStatus.Unavailable:
                    RpcEndpointState state = (RpcEndpointState)reader.ReadUnmanaged<byte>();
                    state = Enum.IsDefined(state) ? state : RpcEndpointState.Stopped;
                    return reader.ReadString() is { Length: > 0 } reason
                        ? new RpcEndpointUnavailableException(site, state, reason)
                        : new RpcEndpointUnavailableException(site, state);
                case ReplyStatus.TooLarge:
                    long size = reader.ReadUnmanaged<long>();
                    int limit = reader.ReadUnmanaged<int>();
                    return new RpcMessageTooLargeException(site, "reply", size, limit);
                case ReplyStatus.Cancelled:
                    return new OperationCanceledException($"Call to {site} was cancelled: {reader.ReadString()}");
                case ReplyStatus.NotFound:
                    return new RpcEndpointNotFoundException(site, reader.ReadString() ?? "the peer found no such endpoint or method");
                case ReplyStatus.Serialization:
                    return new RpcSerializationException(site, reader.ReadString() ?? "the peer could not read or write a message");
                case ReplyStatus.Incompatible:
                    return new RpcContractException(site, reader.ReadString() ?? "the peer's contract for the gateway is incompatible");
                default:
                    return new RpcException(site, $"the peer sent an unknown reply status {(byte)status}");
            }
        }
        catch (RpcSerializationException exception)
        {
            return new RpcSerializationException(site, $"the peer's error reply could not be read: {exception.Message}", exception);
        }
    }

    // A fault the method declares follows the stack: its name and its members. One this side does not declare (the
    // peer's contract is newer) is left unread, and the caller gets the remote exception.
    private static Exception? ReadFault(ref RpcReader reader, RpcMethodDescriptor? method, string? stack)
    {
        if (reader.Remaining == 0 || reader.ReadString() is not { } name || method?.FindFault(name) is not { } fault)
        {
            return null;
        }

        Exception exception = fault.Read(ref reader, stack);
        reader.EnsureFullyConsumed();
        return exception;
    }
}

/// <summary>
/// A remote ask whose generated invocation is <typeparamref name="TInvocation"/>; the caller awaits it directly. Pooled
/// per service: it goes back to the pool once the caller has read its outcome, and stays registered with the call
/// tracker across uses, so that a call allocates neither the item nor a tracker slot.
/// </summary>
internal sealed class RemoteCall<TInvocation, TResult> : RemoteCall, IValueTaskSource<TResult>, IValueTaskSource
    where TInvocation : struct, IRpcInvocation<TInvocation, TResult>
{
    // Continuations run synchronously, but never while the reader parses or in the timeout sweep: a reply's outcome
    // is published once its read is parsed (on the dedicated reader, or by a ReplyBatch), every other outcome from a
    // work item of its own.
    // A caller that awaits on an endpoint captured its synchronization context and continues on its main thread.
    private static readonly Action<RemoteCall<TInvocation, TResult>> PublishLater = static call => call.Publish();

    private readonly ItemPool<RemoteCall<TInvocation, TResult>> _pool;
    private readonly RpcService _service;
    private ManualResetValueTaskSourceCore<TResult> _core = new() { RunContinuationsAsynchronously = false };
    private TimeSpan _timeout;
    private CancellationToken _cancellation;
    private CancellationTokenRegistration _registration;
    private TResult? _result;
    private Exception? _failure;

    private RemoteCall(ItemPool<RemoteCall<TInvocation, TResult>> pool, RpcService service)
    {
        _pool = pool;
        _service = service;
    }

    public short Version => _core.Version;


    protected override bool IsPooled => true;

    /// <summary>Takes a call from the service's pool and starts its clock; <see cref="RpcConnection.Register"/> then makes it findable by its id.</summary>
    public static RemoteCall<TInvocation, TResult> Start(
        RpcConnection connection, long callId, RpcCallSite site, RpcService service, TimeSpan timeout, CancellationToken cancellation)
    {
        ItemPool<RemoteCall<TInvocation, TResult>> pool = service.Pools.Get<RemoteCall<TInvocation, TResult>>();
        RemoteCall<TInvocation, TResult>? call = pool.Rent();
        if (call is null)
        {
            call = new RemoteCall<TInvocation, TResult>(pool, service);
            service.Tracker.Add(call);
        }

        call.Use(connection, callId, site);
        call._timeout = timeout;
        call._cancellation = cancellation;
        // After the use's fields: whoever reads its token sees the call id, connection and cancellation with it.
        call.BeginTracking(service.Tracker.DeadlineAfter(timeout));
        return call;
    }

    /// <summary>Watches the caller's token; call after the request was queued.</summary>
    public void Watch()
    {
        if (_cancellation.CanBeCanceled)
        {
            _registration = _cancellation.UnsafeRegister(
                static (state, token) => ((RemoteCall<TInvocation, TResult>)state!).OnCallerCancelled(token), this);

            // A reply that came before the registration was stored unregistered nothing: a long-lived token would
            // otherwise keep one registration for every such call.
            if (IsDone)
            {
                _registration.Unregister();
            }
        }
    }

    public override bool OnReply(long callId, ReplyStatus status, in ReadOnlySequence<byte> payload)
    {
        if (!TryCompleteUse(callId))
        {
            return false;
        }

        _registration.Unregister();
        if (status != ReplyStatus.Ok)
        {
            _failure = ReadFailure(Site, TInvocation.Method, Connection.Contracts, status, payload);
            return true;
        }

        try
        {
            RpcReader reader = new(payload, Connection.Contracts);
            _result = TInvocation.ReadResult(ref reader);
            reader.EnsureFullyConsumed();
        }
        catch (Exception exception)
        {
            _failure = new RpcSerializationException(Site, $"the reply could not be read: {exception.Message}", exception);
        }

        return true;
    }

    public override void Publish()
    {
        if (_failure is { } failure)
        {
            _core.SetException(failure);
        }
        else
        {
            _core.SetResult(_result!);
        }
    }

    public override void OnConnectionClosed(long callId, Exception reason)
    {
        if (TryCompleteUse(callId))
        {
            Failed(new RpcConnectionException(Site, reason.Message, reason), sendCancel: false);
        }
    }

    protected internal override void OnTimedOut()
    {
        _registration.Unregister();
        Connection.Forget(this, sendCancel: true);
        _failure = new RpcTimeoutException(Site, _timeout);
        ThreadPool.UnsafeQueueUserWorkItem(PublishLater, this, preferLocal: false);
    }

    /// <summary>
    /// Hands the outcome to the caller, once, and lets go of it and of the item: the call tracker keeps the item
    /// between uses, which must not keep a large reply or a closed connection alive.
    /// </summary>
    public TResult GetResult(short token)
    {
        bool outcome = token == _core.Version && _core.GetStatus(token) != ValueTaskSourceStatus.Pending;
        try
        {
            return _core.GetResult(token);
        }
        finally
        {
            if (outcome)
            {
                Release();
            }
        }
    }

    void IValueTaskSource.GetResult(short token) => GetResult(token);

    public ValueTaskSourceStatus GetStatus(short token) => _core.GetStatus(token);

    public void OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _core.OnCompleted(continuation, state, token, flags);

    /// <summary>
    /// Claims the outcome of the use that carries <paramref name="callId"/>. The token is read first: if the claim
    /// succeeds, that use was current throughout, so the call id read after it was that use's own.
    /// </summary>
    private bool TryCompleteUse(long callId)
    {
        long token = Token;
        return CallId == callId && TryComplete(token);
    }

    // The registration may fire late, for a later use of this item: only a use made with this token is cancelled
    // (a later use with the same, cancelled, token is cancelled rightly). The token is read first, as above.
    private void OnCallerCancelled(CancellationToken cancellation)
    {
        long token = Token;
        if (cancellation == _cancellation && TryComplete(token))
        {
            Failed(CallFailures.Cancelled(Site, cancellation), sendCancel: true);
        }
    }

    /// <summary>Finishes a use whose completion this thread won without a reply.</summary>
    private void Failed(Exception exception, bool sendCancel)
    {
        _registration.Unregister();
        Connection.Forget(this, sendCancel);
        _failure = exception;
        ThreadPool.UnsafeQueueUserWorkItem(PublishLater, this, preferLocal: false);
    }

    private void Release()
    {
        _result = default;
        _failure = null;
        _registration = default;
        _cancellation = default;
        Use(null, 0, default);
        _core.Reset();
        if (TryRecycle() && !_pool.Return(this))
        {
            Abandon();
        }
    }
}

/// <summary>The lookup that <see cref="RpcService.ConnectAsync{TGateway}(string, CancellationToken)"/> sends: does the endpoint exist and implement the gateway?</summary>
internal sealed class LookupCall : RemoteCall
{
    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public LookupCall(RpcConnection connection, long callId, RpcCallSite site)
        : base(connection, callId, site)
    {
        BeginTracking(long.MaxValue);
    }

    public Task Task => _completion.Task;

    protected override bool IsPooled => false;

    public override bool OnReply(long callId, ReplyStatus status, in ReadOnlySequence<byte> payload)
    {
        if (!TryComplete(Token))
        {
            return false;
        }

        if (status == ReplyStatus.Ok)
        {
            _completion.TrySetResult();
            return false;
        }

        if (status == ReplyStatus.NotFound)
        {
            string? problem = null;
            try
            {
                RpcReader reader = new(payload);
                problem = reader.ReadString();
            }
            catch (RpcSerializationException)
            {
                // Reported below without the peer's explanation.
            }

            _completion.TrySetException(new RpcEndpointNotFoundException(
                $"Cannot connect a {Site.Gateway} gateway to {Site.Address}/{Site.Endpoint}: {problem ?? "the peer refused the lookup"}."));
            return false;
        }

        _completion.TrySetException(ReadFailure(Site, null, Connection.Contracts, status, payload));
        return false;
    }

    public override void OnConnectionClosed(long callId, Exception reason)
    {
        if (TryComplete(Token))
        {
            _completion.TrySetException(new RpcConnectionException(Site, reason.Message, reason));
        }
    }

    /// <summary>Gives up waiting (timeout or cancellation): forgets the call so that its slot is freed.</summary>
    public void GiveUp()
    {
        if (TryComplete(Token))
        {
            Connection.Forget(this, sendCancel: false);
        }
    }

    protected internal override void OnTimedOut()
    {
    }
}
