using System.Buffers;
using System.Threading.Tasks.Sources;
using Toolkit.Rpc.Calls;
using Toolkit.Rpc.Gateways;
using Toolkit.Rpc.Serialization;

namespace Toolkit.Rpc.Transport;

/// <summary>
/// A call sent over a connection and awaiting its reply. Exactly one of the reply, the timeout, the caller's
/// cancellation and the connection's loss completes it (<see cref="PendingCall"/>'s compare-and-swap); a reply that
/// arrives after another outcome won finds no call under its id and is dropped.
/// </summary>
internal abstract class RemoteCall : PendingCall
{
    private protected RemoteCall(RpcConnection connection, long callId, RpcCallSite site)
    {
        Connection = connection;
        CallId = callId;
        Site = site;
    }

    public RpcConnection Connection { get; }

    public long CallId { get; }

    public RpcCallSite Site { get; }

    public override MailboxItemKind Kind => MailboxItemKind.Call;

    protected override bool IsPooled => false;

    // A remote call never enters a mailbox: the peer's dispatch runs it.
    public override void Execute(RpcEndpoint endpoint) => throw new InvalidOperationException("A remote call is not a mailbox item.");

    public override void Reject(RpcEndpoint endpoint, RpcEndpointState state) => throw new InvalidOperationException("A remote call is not a mailbox item.");

    /// <summary>
    /// The reply arrived; runs while the connection's reader parses, which must not run the caller's code. Returns true
    /// when the call took the outcome and the reader must <see cref="Publish"/> it, with the other replies of its read.
    /// </summary>
    public abstract bool OnReply(ReplyStatus status, in ReadOnlySequence<byte> payload);

    /// <summary>Hands the outcome to the caller: its continuation runs here, inline, unless it awaits on an endpoint.</summary>
    public virtual void Publish()
    {
    }

    /// <summary>The connection closed before the reply, or before the call could be sent; <paramref name="reason"/> says why.</summary>
    public abstract void OnConnectionClosed(Exception reason);

    /// <summary>Turns an error reply into the exception the caller sees.</summary>
    protected Exception ReadFailure(ReplyStatus status, in ReadOnlySequence<byte> payload)
    {
        try
        {
            RpcReader reader = new(payload);
            switch (status)
            {
                case ReplyStatus.Exception:
                    string type = reader.ReadString() ?? "System.Exception";
                    string message = reader.ReadString() ?? "";
                    string? stack = reader.ReadString();
                    return new RpcRemoteException(Site, type, message, stack);
                case ReplyStatus.Unavailable:
                    RpcEndpointState state = (RpcEndpointState)reader.ReadUnmanaged<byte>();
                    return new RpcEndpointUnavailableException(Site, Enum.IsDefined(state) ? state : RpcEndpointState.Stopped);
                case ReplyStatus.TooLarge:
                    long size = reader.ReadUnmanaged<long>();
                    int limit = reader.ReadUnmanaged<int>();
                    return new RpcMessageTooLargeException(Site, "reply", size, limit);
                case ReplyStatus.Cancelled:
                    return new OperationCanceledException($"Call to {Site} was cancelled: {reader.ReadString()}");
                case ReplyStatus.NotFound:
                    return new RpcEndpointNotFoundException(Site, reader.ReadString() ?? "the peer found no such endpoint or method");
                case ReplyStatus.Serialization:
                    return new RpcSerializationException(Site, reader.ReadString() ?? "the peer could not read or write a message");
                default:
                    return new RpcException(Site, $"the peer sent an unknown reply status {(byte)status}");
            }
        }
        catch (RpcSerializationException exception)
        {
            return new RpcSerializationException(Site, $"the peer's error reply could not be read: {exception.Message}", exception);
        }
    }
}

/// <summary>A remote ask whose generated invocation is <typeparamref name="TInvocation"/>; the caller awaits it directly.</summary>
internal sealed class RemoteCall<TInvocation, TResult> : RemoteCall, IValueTaskSource<TResult>, IValueTaskSource
    where TInvocation : struct, IRpcInvocation<TInvocation, TResult>
{
    // Continuations run synchronously, but never while the reader parses or in the timeout sweep: a reply's outcome
    // is published once its read is parsed (on the dedicated reader, or by a ReplyBatch), every other outcome from a
    // work item of its own.
    // A caller that awaits on an endpoint captured its synchronization context and continues on its main thread.
    private static readonly Action<RemoteCall<TInvocation, TResult>> PublishLater = static call => call.Publish();

    private ManualResetValueTaskSourceCore<TResult> _core = new() { RunContinuationsAsynchronously = false };
    private readonly RpcService _service;
    private readonly TimeSpan _timeout;
    private readonly CancellationToken _cancellation;
    private CancellationTokenRegistration _registration;
    private long _token;
    private TResult? _result;
    private Exception? _failure;

    private RemoteCall(RpcConnection connection, long callId, RpcCallSite site, RpcService service, TimeSpan timeout, CancellationToken cancellation)
        : base(connection, callId, site)
    {
        _service = service;
        _timeout = timeout;
        _cancellation = cancellation;
    }

    public short Version => _core.Version;

    /// <summary>Whether the call already has its outcome.</summary>
    public bool IsDone => !IsPending(_token);

    /// <summary>Creates the call and starts its clock; <see cref="RpcConnection.Register"/> then makes it findable by its id.</summary>
    public static RemoteCall<TInvocation, TResult> Create(
        RpcConnection connection, long callId, RpcCallSite site, RpcService service, TimeSpan timeout, CancellationToken cancellation)
    {
        RemoteCall<TInvocation, TResult> call = new(connection, callId, site, service, timeout, cancellation);
        call._token = call.BeginTracking(service.Tracker.DeadlineAfter(timeout));
        return call;
    }

    /// <summary>Watches the deadline and the caller's token; call after the request was queued.</summary>
    public void Watch()
    {
        _service.Tracker.Add(this);
        if (_cancellation.CanBeCanceled)
        {
            _registration = _cancellation.UnsafeRegister(static state => ((RemoteCall<TInvocation, TResult>)state!).OnCallerCancelled(), this);
        }
    }

    public override bool OnReply(ReplyStatus status, in ReadOnlySequence<byte> payload)
    {
        if (!TryComplete(_token))
        {
            return false;
        }

        _registration.Unregister();
        if (status != ReplyStatus.Ok)
        {
            _failure = ReadFailure(status, payload);
            return true;
        }

        try
        {
            RpcReader reader = new(payload, _service);
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

    public override void OnConnectionClosed(Exception reason) => Fail(new RpcConnectionException(Site, reason.Message, reason), sendCancel: false);

    protected internal override void OnTimedOut()
    {
        _registration.Unregister();
        Connection.Forget(this, sendCancel: true);
        _failure = new RpcTimeoutException(Site, _timeout);
        ThreadPool.UnsafeQueueUserWorkItem(PublishLater, this, preferLocal: false);
    }

    /// <summary>
    /// Hands the outcome to the caller, once, and lets go of it: the call tracker keeps a finished call until its next
    /// sweep, which must not keep a large reply alive.
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
                _result = default;
                _failure = null;
                _core.Reset();
            }
        }
    }

    void IValueTaskSource.GetResult(short token) => GetResult(token);

    public ValueTaskSourceStatus GetStatus(short token) => _core.GetStatus(token);

    public void OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _core.OnCompleted(continuation, state, token, flags);

    private void OnCallerCancelled() => Fail(CallFailures.Cancelled(Site, _cancellation), sendCancel: true);

    private void Fail(Exception exception, bool sendCancel)
    {
        if (!TryComplete(_token))
        {
            return;
        }

        _registration.Unregister();
        Connection.Forget(this, sendCancel);
        _failure = exception;
        ThreadPool.UnsafeQueueUserWorkItem(PublishLater, this, preferLocal: false);
    }
}

/// <summary>The lookup that <see cref="RpcService.ConnectAsync{TGateway}(string, CancellationToken)"/> sends: does the endpoint exist and implement the gateway?</summary>
internal sealed class LookupCall : RemoteCall
{
    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly long _token;

    public LookupCall(RpcConnection connection, long callId, RpcCallSite site)
        : base(connection, callId, site)
    {
        _token = BeginTracking(long.MaxValue);
    }

    public Task Task => _completion.Task;

    public override bool OnReply(ReplyStatus status, in ReadOnlySequence<byte> payload)
    {
        if (!TryComplete(_token))
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

        _completion.TrySetException(ReadFailure(status, payload));
        return false;
    }

    public override void OnConnectionClosed(Exception reason)
    {
        if (TryComplete(_token))
        {
            _completion.TrySetException(new RpcConnectionException(Site, reason.Message, reason));
        }
    }

    /// <summary>Gives up waiting (timeout or cancellation): forgets the call so that its slot is freed.</summary>
    public void GiveUp()
    {
        if (TryComplete(_token))
        {
            Connection.Forget(this, sendCancel: false);
        }
    }

    protected internal override void OnTimedOut()
    {
    }
}
