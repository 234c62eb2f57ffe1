using System.Buffers;
using System.Threading.Tasks.Sources;
using Toolkit.Rpc.Calls;
using Toolkit.Rpc.Observability;
using Toolkit.Rpc.Transport.Protocol;

namespace Toolkit.Rpc.Transport;

/// <summary>
/// A remote ask whose generated invocation is <typeparamref name="TInvocation"/>; the caller awaits it directly. Pooled
/// per service (<see cref="PooledCompletion{TCall, TResult}"/>): it goes back to the pool once the caller has read its
/// outcome.
/// </summary>
internal sealed class RemoteCall<TInvocation, TResult> : RemoteCall, IPooledCall<RemoteCall<TInvocation, TResult>>, IValueTaskSource<TResult>, IValueTaskSource
    where TInvocation : struct, IRpcInvocation<TInvocation, TResult>
{
    // Continuations run synchronously, but never while the reader parses or in the timeout sweep: a reply's outcome
    // is published once its read is parsed (on the dedicated reader, or by a ReplyBatch), every other outcome from a
    // work item of its own.
    // A caller that awaits on an endpoint captured its synchronization context and continues on its main thread.
    private static readonly Action<RemoteCall<TInvocation, TResult>> PublishLater = static call => call.Publish();

    private PooledCompletion<RemoteCall<TInvocation, TResult>, TResult> _completion;
    private TimeSpan _timeout;
    private CancellationToken _cancellation;
    private CancellationTokenRegistration _registration;
    private TResult? _result;
    private Exception? _failure;

    // The use's telemetry, when someone listens (default otherwise), and its reply's size.
    private CallObservation _observation;
    private long _replySize = -1;

    private RemoteCall(ItemPool<RemoteCall<TInvocation, TResult>> pool) => _completion = new(pool, runContinuationsAsynchronously: false);

    public short Version => _completion.Version;

    protected override bool IsPooled => true;

    /// <summary>Takes a call from the service's pool and starts its clock; <see cref="RpcConnection.Register"/> then makes it findable by its id.</summary>
    public static RemoteCall<TInvocation, TResult> Start(
        RpcConnection connection, long callId, RpcCallSite site, TransportHost service, TimeSpan timeout, CancellationToken cancellation,
        in CallObservation observation)
    {
        RemoteCall<TInvocation, TResult> call = PooledCompletion<RemoteCall<TInvocation, TResult>, TResult>.Rent(service.Runtime);
        call.Use(connection, callId, site);
        call._timeout = timeout;
        call._cancellation = cancellation;
        call._observation = observation;
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
        if (_observation.IsActive)
        {
            _replySize = ReplyFrame.HeaderSize + payload.Length;
        }

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
        // Before the outcome is set: the caller's continuation runs inline, and may reuse this item for its next call.
        if (_observation.IsActive)
        {
            _observation.FinishClient(Connection.Host.Runtime.Instruments, TInvocation.Method, CallOutcome.StatusOf(_failure), _failure, _replySize);
            _replySize = -1;
        }

        if (_failure is { } failure)
        {
            _completion.SetException(failure);
        }
        else
        {
            _completion.SetResult(_result!);
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
        TransportLog.CallTimedOut(Connection.Host.TransportLogger, CallId, Site.Gateway, Site.Method, Site.Endpoint, Site.Address, _timeout);
        _failure = new RpcTimeoutException(Site, _timeout);
        ThreadPool.UnsafeQueueUserWorkItem(PublishLater, this, preferLocal: false);
    }

    static RemoteCall<TInvocation, TResult> IPooledCall<RemoteCall<TInvocation, TResult>>.Create(ItemPool<RemoteCall<TInvocation, TResult>> pool) => new(pool);

    /// <summary>
    /// The caller has the outcome: the call lets go of it and goes back to the pool; the call tracker keeps the item
    /// between uses, which must not keep a large reply or a closed connection alive.
    /// </summary>
    void IPooledCall<RemoteCall<TInvocation, TResult>>.OnOutcomeRead() => Release();

    public TResult GetResult(short token) => _completion.GetResult(token, this);

    void IValueTaskSource.GetResult(short token) => _completion.GetResult(token, this);

    public ValueTaskSourceStatus GetStatus(short token) => _completion.GetStatus(token);

    public void OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _completion.OnCompleted(continuation, state, token, flags);

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
        _completion.Recycle(this);
    }
}
