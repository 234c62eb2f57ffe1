using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Threading.Tasks.Sources;
using Toolkit.Rpc.Observability;

namespace Toolkit.Rpc.Calls;

/// <summary>
/// A local request/response call that skips serialization: the arguments travel in the generated invocation
/// struct, the endpoint method runs on its main thread, and the caller awaits this pooled item directly.
/// Two owners hold the item — the caller until it has read the outcome, the main thread until it is done
/// with the arguments — and it returns to the pool when both have let go.
/// </summary>
internal sealed class AskCall<TInvocation, TResult> : PendingCall, IMailboxItem, IPooledCall<AskCall<TInvocation, TResult>>, IValueTaskSource<TResult>, IValueTaskSource
    where TInvocation : struct, IRpcInvocation<TInvocation, TResult>
{
    private readonly Action _onInvocationCompleted;

    // Continuations run asynchronously: the outcome is set on the target's main thread or the tracker's timer
    // thread, and the caller's continuation must never run inline there.
    private PooledCompletion<AskCall<TInvocation, TResult>, TResult> _completion;
    private TInvocation _invocation;
    private RpcEndpoint? _endpoint;
    private TimeSpan _timeout;
    private long _epoch;
    private CancellationToken _callerCancellation;
    private CancellationTokenRegistration _callerRegistration;
    private CancellationTokenSource? _callCancellation;
    private ConfiguredValueTaskAwaitable<TResult>.ConfiguredValueTaskAwaiter _awaiter;
    private int _owners;

    // Telemetry, when someone listened as the call was made: the caller's side, and the endpoint's once its main thread
    // takes the call. Both stay default (and _instruments null) otherwise.
    private RpcInstruments? _instruments;
    private CallObservation _client;
    private CallObservation _server;

    private AskCall(ItemPool<AskCall<TInvocation, TResult>> pool)
    {
        _completion = new(pool, runContinuationsAsynchronously: true);
        _onInvocationCompleted = OnInvocationCompleted;
    }

    public MailboxItemKind Kind => MailboxItemKind.Call;

    protected override bool IsPooled => true;

    private RpcCallSite Site => _endpoint!.CallSite(TInvocation.Method);

    /// <summary>Starts a call; the caller wraps the returned item and <paramref name="version"/> in a ValueTask of either kind.</summary>
    public static AskCall<TInvocation, TResult> Start(
        EndpointRuntime service, RpcEndpoint endpoint, in TInvocation invocation, TimeSpan timeout, CancellationToken cancellation, long epoch, out short version,
        in CallObservation observation = default)
    {
        AskCall<TInvocation, TResult> call = PooledCompletion<AskCall<TInvocation, TResult>, TResult>.Rent(service);
        if (observation.IsActive)
        {
            call._instruments = service.Instruments;
            call._client = observation;
        }

        version = call.Begin(service, endpoint, invocation, timeout, cancellation, epoch);
        endpoint.Enqueue(call, callerAwaits: true);
        return call;
    }

    public void Execute(RpcEndpoint endpoint)
    {
        if (!IsPending(Token))
        {
            Release();
            return;
        }

        if (TInvocation.Method.IsFenced && endpoint.Fence(TInvocation.Method, _epoch) is { } fenced)
        {
            Refuse(fenced);
            Release();
            return;
        }

        ValueTask<TResult> pending;
        Activity? ambient = null;
        bool spanCurrent = false;
        if (_instruments is { } instruments && instruments.ServerObserved)
        {
            // The endpoint's side of the call: a child of the caller's span, current while the method runs.
            _server = _client.Activity is { } caller
                ? CallObservation.StartServer(instruments, TInvocation.Method, endpoint.Name, caller.Context, peer: null, _client.Started)
                : CallObservation.StartServer(instruments, TInvocation.Method, endpoint.Name, default, peer: null, _client.Started, withSpan: false);
            if (_server.Activity is { } span)
            {
                ambient = Activity.Current;
                Activity.Current = span;
                spanCurrent = true;
            }
        }

        try
        {
            pending = _invocation.Invoke(endpoint, new RpcCallContext(_timeout, _callCancellation?.Token ?? _callerCancellation));
        }
        catch (Exception exception)
        {
            Fail(exception);
            Release();
            return;
        }
        finally
        {
            if (spanCurrent)
            {
                RpcActivities.Restore(ambient);
            }
        }

        if (pending.IsCompleted)
        {
            Finish(pending.ConfigureAwait(false).GetAwaiter());
            return;
        }

        endpoint.TrackInFlight(this, Token);
        _awaiter = pending.ConfigureAwait(false).GetAwaiter();
        _awaiter.UnsafeOnCompleted(_onInvocationCompleted);
    }

    public void Reject(RpcEndpoint endpoint, RpcEndpointState state)
    {
        FailUnavailable(Token, state);
        Release();
    }

    /// <summary>Fails a call that was still running when its endpoint stopped; the main thread keeps its ownership.</summary>
    internal override void FailInFlight(long token, RpcEndpointState state) => FailUnavailable(token, state);

    protected internal override void OnTimedOut()
    {
        CompleteCleanup(cancelCall: true);
        SetFailure(new RpcTimeoutException(Site, _timeout));
    }

    static AskCall<TInvocation, TResult> IPooledCall<AskCall<TInvocation, TResult>>.Create(ItemPool<AskCall<TInvocation, TResult>> pool) => new(pool);

    void IPooledCall<AskCall<TInvocation, TResult>>.OnOutcomeRead() => Release();

    public TResult GetResult(short token) => _completion.GetResult(token, this);

    void IValueTaskSource.GetResult(short token) => _completion.GetResult(token, this);

    public ValueTaskSourceStatus GetStatus(short token) => _completion.GetStatus(token);

    public void OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _completion.OnCompleted(continuation, state, token, flags);

    private short Begin(EndpointRuntime service, RpcEndpoint endpoint, in TInvocation invocation, TimeSpan timeout, CancellationToken cancellation, long epoch)
    {
        _epoch = epoch;
        _owners = 2;
        _endpoint = endpoint;
        _invocation = invocation;
        _timeout = timeout;
        _callerCancellation = cancellation;
        if (TInvocation.Method.HasCancellation && (_callCancellation is null || !_callCancellation.TryReset()))
        {
            _callCancellation = new CancellationTokenSource();
        }

        BeginTracking(service.Tracker.DeadlineAfter(timeout));
        if (cancellation.CanBeCanceled)
        {
            _callerRegistration = cancellation.UnsafeRegister(static (state, token) => ((AskCall<TInvocation, TResult>)state!).OnCallerCancelled(token), this);
        }

        return _completion.Version;
    }

    private void OnInvocationCompleted()
    {
        ConfiguredValueTaskAwaitable<TResult>.ConfiguredValueTaskAwaiter awaiter = _awaiter;
        _awaiter = default;
        _endpoint!.UntrackInFlight(this);
        Finish(awaiter);
    }

    private void Finish(ConfiguredValueTaskAwaitable<TResult>.ConfiguredValueTaskAwaiter awaiter)
    {
        TResult result;
        try
        {
            result = awaiter.GetResult();
        }
        catch (Exception exception)
        {
            Fail(exception);
            Release();
            return;
        }

        if (_server.IsActive)
        {
            _server.FinishServer(_instruments!, TInvocation.Method, CallStatus.Ok);
        }

        if (TryComplete(Token))
        {
            CompleteCleanup(cancelCall: false);
            if (_client.IsActive)
            {
                _client.FinishClient(_instruments!, TInvocation.Method, CallStatus.Ok);
            }

            _completion.SetResult(result);
        }

        Release();
    }

    private void OnCallerCancelled(CancellationToken token)
    {
        // The registration may fire late, for a later use of this item: only cancel a use made with this token (the
        // use's token is read first, as Token says).
        long use = Token;
        if (token == _callerCancellation && TryComplete(use))
        {
            CompleteCleanup(cancelCall: true);
            SetFailure(CallFailures.Cancelled(Site, token));
        }
    }

    private void Fail(Exception exception)
    {
        if (_server.IsActive)
        {
            _server.FinishServer(_instruments!, TInvocation.Method, CallOutcome.StatusOf(exception), exception);
        }

        if (TryComplete(Token))
        {
            CompleteCleanup(cancelCall: false);
            SetFailure(CallFailures.FromEndpoint(Site, TInvocation.Method, exception, _callerCancellation));
        }
    }

    /// <summary>Hands the caller <paramref name="failure"/>; the caller's side of the telemetry ends first, since its continuation may reuse the item.</summary>
    private void SetFailure(Exception failure)
    {
        if (_client.IsActive)
        {
            _client.FinishClient(_instruments!, TInvocation.Method, CallOutcome.StatusOf(failure), failure);
        }

        _completion.SetException(failure);
    }

    // A call the endpoint refused before its method ran: the caller gets the refusal itself.
    private void Refuse(RpcException refusal)
    {
        if (TryComplete(Token))
        {
            CompleteCleanup(cancelCall: false);
            SetFailure(refusal);
        }
    }

    // The exception is made once the use is claimed: a stale token's item may have let go of its endpoint.
    private void FailUnavailable(long token, RpcEndpointState state)
    {
        if (TryComplete(token))
        {
            CompleteCleanup(cancelCall: true);
            SetFailure(new RpcEndpointUnavailableException(Site, state));
        }
    }

    // Runs once per use, by whoever won the completion. A call that ends before its method did (timeout,
    // cancellation, endpoint stopped) cancels the token the method was given, so the method can stop too.
    private void CompleteCleanup(bool cancelCall)
    {
        _callerRegistration.Unregister();
        _callerRegistration = default;
        if (cancelCall && _callCancellation is { } source)
        {
            try
            {
                source.Cancel();
            }
            catch (AggregateException exception)
            {
                _endpoint!.ReportUnhandled(exception);
            }
        }
    }

    private void Release()
    {
        if (Interlocked.Decrement(ref _owners) != 0)
        {
            return;
        }

        _invocation = default;
        _endpoint = null;
        _instruments = null;
        _client = default;
        _server = default;
        _callerCancellation = default;
        _completion.Recycle(this);
    }
}
