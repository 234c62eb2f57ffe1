using System.Buffers;
using System.Diagnostics;
using Toolkit.Rpc.Calls;
using Toolkit.Rpc.Observability;
using Toolkit.Rpc.Transport.Protocol;

namespace Toolkit.Rpc.Transport;

/// <summary>
/// A call that arrived over a connection: queued in the target endpoint's mailbox, dispatched on its main thread
/// through the generated dispatch table, and answered with a reply frame (for an ask) on the same connection.
/// </summary>
/// <remarks>
/// Pooled per service unless the method takes a cancellation token (the connection then finds the call by its id for
/// a cancel frame, which could come late). Two owners hold a use: its dispatch, until <see cref="Execute"/> or
/// <see cref="Reject"/> returns, and its reply, until the method's outcome was sent; the item returns to the pool when
/// both have let go. An endpoint that stops names the use it fails by its token.
/// </remarks>
internal sealed class InboundCall : PendingCall, IMailboxItem
{
    private readonly ItemPool<InboundCall>? _pool;
    private readonly Reply _reply;
    private RpcConnection _connection = null!;
    private RpcEndpoint _endpoint = null!;
    private RpcMethodHandler _handler = null!;
    private long _callId;
    private TimeSpan _timeout;
    private long _epoch;
    private CancellationTokenSource? _cancellation;
    private byte[]? _arguments;
    private int _argumentsLength;
    private int _owners;

    // The use's telemetry when someone listens (default otherwise): its server span is current while the method runs.
    private CallObservation _observation;

    // Whether the endpoint tracks this use in flight; most methods finish inside their dispatch and never are, and
    // their reply then takes no lock to untrack them.
    private bool _tracked;

    private InboundCall(ItemPool<InboundCall>? pool)
    {
        _pool = pool;
        _reply = new Reply(this);
    }

    public long CallId => _callId;

    public bool IsCancellable => _cancellation is not null;

    public MailboxItemKind Kind => MailboxItemKind.Call;

    // The call tracker never watches an inbound call: its deadline is the caller's to keep.
    protected override bool IsPooled => false;

    /// <summary>The call's site, for error messages only: each use formats the service's address anew.</summary>
    internal RpcCallSite Site => _endpoint.CallSite(_handler.Method);

    /// <summary>Takes a call for a request that arrived, from the service's pool unless the method can be cancelled, and copies its arguments.</summary>
    public static InboundCall Start(
        RpcConnection connection, RpcEndpoint endpoint, RpcMethodHandler handler, long callId, TimeSpan timeout, long epoch, in ReadOnlySequence<byte> arguments,
        in CallObservation observation)
    {
        bool cancellable = handler.Method.HasCancellation && callId != 0;
        InboundCall call;
        if (cancellable)
        {
            call = new InboundCall(pool: null) { _cancellation = new CancellationTokenSource() };
        }
        else
        {
            ItemPool<InboundCall> pool = connection.Host.Pools.Get<InboundCall>();
            call = pool.Rent() ?? new InboundCall(pool);
        }

        call._connection = connection;
        call._endpoint = endpoint;
        call._handler = handler;
        call._callId = callId;
        call._timeout = timeout;
        call._epoch = epoch;
        call._argumentsLength = (int)arguments.Length;
        call._arguments = ArrayPool<byte>.Shared.Rent(Math.Max(call._argumentsLength, 1));
        arguments.CopyTo(call._arguments);
        call._owners = 2;
        call._tracked = false;
        call._observation = observation;
        call.BeginTracking(long.MaxValue);
        return call;
    }

    public void Execute(RpcEndpoint endpoint)
    {
        long token = Token;
        if (IsPending(token) && _handler.Method.IsFenced && endpoint.Fence(_handler.Method, _epoch) is { } fenced)
        {
            FailFenced(token, fenced);
            Release(); // the method never runs: its reply's share goes too
        }
        else if (IsPending(token))
        {
            RpcReader reader = new(_arguments.AsSpan(0, _argumentsLength), _connection.Contracts);
            if (_observation.Activity is { } span)
            {
                // The method runs under the call's server span, and so do the calls it makes, awaits included.
                Activity? ambient = Activity.Current;
                Activity.Current = span;
                _handler.Invoke(endpoint, ref reader, new RpcCallContext(_timeout, _cancellation?.Token ?? default), _reply);
                RpcActivities.Restore(ambient);
            }
            else
            {
                _handler.Invoke(endpoint, ref reader, new RpcCallContext(_timeout, _cancellation?.Token ?? default), _reply);
            }

            // Still running (it awaits): tracked until its reply, so that stopping the endpoint fails the call instead
            // of leaving it to time out. Should the reply have come meanwhile, on another thread, it may have found the
            // call untracked, or untracked it before it was tracked: look again.
            if (IsPending(token))
            {
                Volatile.Write(ref _tracked, true);
                endpoint.TrackInFlight(this, token);
                if (!IsPending(token))
                {
                    endpoint.UntrackInFlight(this);
                }
            }
        }
        else
        {
            Release(); // the method never runs: its reply's share goes too
        }

        // The dispatch table decodes the arguments before it calls the method, so the buffer is free now.
        ReturnArguments();
        Release();
    }

    public void Reject(RpcEndpoint endpoint, RpcEndpointState state)
    {
        ReturnArguments();
        FailUnavailable(Token, state, running: false);
        Release();
        Release();
    }

    internal override void FailInFlight(long token, RpcEndpointState state) => FailUnavailable(token, state, running: true);

    protected internal override void OnTimedOut()
    {
    }

    /// <summary>The caller gave up or its connection closed: fire the method's token on the endpoint's main thread.</summary>
    public void Cancel()
    {
        if (_cancellation is { } cancellation && IsPending(Token))
        {
            _endpoint.Enqueue(new PostedCallback(static state => ((CancellationTokenSource)state!).Cancel(), cancellation));
        }
    }

    private void ReturnArguments()
    {
        if (Interlocked.Exchange(ref _arguments, null) is { } arguments)
        {
            ArrayPool<byte>.Shared.Return(arguments);
        }
    }

    /// <summary>Lets go of one owner's share; the last one returns the item to the pool.</summary>
    private void Release()
    {
        if (Interlocked.Decrement(ref _owners) != 0 || _pool is null)
        {
            return;
        }

        _connection = null!;
        _endpoint = null!;
        _handler = null!;
        if (TryRecycle())
        {
            _pool.Return(this);
        }
    }

    private bool TryFinish(long token, string status, Exception? failure = null, long responseBytes = -1)
    {
        if (!TryComplete(token))
        {
            return false;
        }

        if (_observation.IsActive)
        {
            _observation.FinishServer(_connection.Host.Runtime.Instruments, _handler.Method, status, failure, responseBytes);
        }

        if (Volatile.Read(ref _tracked))
        {
            _endpoint.UntrackInFlight(this);
        }

        _connection.InboundFinished(this);
        return true;
    }

    // The message is made once the use is claimed: a stale token's item may have let go of its endpoint.
    private void FailUnavailable(long token, RpcEndpointState state, bool running)
    {
        if (TryFinish(token, CallStatus.Unavailable))
        {
            string problem = running ? "stopped while the call ran" : $"is {state}";
            _connection.Replies.SendFailure(_callId, ReplyStatus.Unavailable, $"endpoint '{_endpoint.DisplayName}' {problem}", state);
        }
    }

    private void FailFenced(long token, RpcFencingException fenced)
    {
        if (!TryFinish(token, CallStatus.Fenced, fenced))
        {
            return;
        }

        if (_callId == 0)
        {
            _endpoint.ReportOneWayFailure(_handler.Method, fenced);
            return;
        }

        _connection.Replies.SendFenced(_callId, fenced.CallEpoch, fenced.EndpointEpoch);
    }

    private void Fail(Exception exception)
    {
        string status = CallOutcome.StatusOf(exception);
        if (!TryFinish(Token, status, exception))
        {
            return;
        }

        TransportLog.InboundFailed(_connection.Logger, exception, _callId, _handler.Method.Gateway.ShortName, _handler.Method.Name, _connection.DisplayAddress, _endpoint.Name, status);

        if (_callId == 0)
        {
            _endpoint.ReportOneWayFailure(_handler.Method, exception);
            return;
        }

        switch (exception)
        {
            case OperationCanceledException when _cancellation is { IsCancellationRequested: true }:
                _connection.Replies.SendFailure(_callId, ReplyStatus.Cancelled, "the method observed the cancellation");
                break;
            case RpcSerializationException { InnerException: FrameTooLargeException tooLarge }:
                TransportLog.InboundRejected(_connection.Host.TransportLogger, _connection.DisplayAddress, $"the reply of {Site} is {tooLarge.Message}");
                _connection.Replies.SendTooLarge(_callId, tooLarge.Written);
                break;
            case RpcSerializationException serialization:
                _connection.Replies.SendFailure(_callId, ReplyStatus.Serialization, serialization.Message);
                break;
            default:
                _connection.Replies.SendException(_callId, exception, _handler.Method);
                break;
        }
    }

    private sealed class Reply(InboundCall call) : RpcReply
    {
        private FrameBuffer? _frame;

        public override RpcSerializationContext? SerializationContext => call._connection.Contracts;

        public override IBufferWriter<byte> BeginResult()
        {
            _frame = call._callId == 0
                ? FrameBuffer.Rent(FrameType.Reply)
                : ReplyFrame.Begin(call._callId, ReplyStatus.Ok, call._connection.ByteStreams?.FrameGrowthLimit ?? call._connection.FrameLimit);
            return _frame;
        }

        public override void EndResult()
        {
            FrameBuffer frame = _frame!;
            _frame = null;
            try
            {
                if (call.TryFinish(call.Token, CallStatus.Ok, responseBytes: call._callId != 0 ? frame.Length : -1) && call._callId != 0)
                {
                    call._connection.Replies.SendReply(frame, call);
                }
            }
            finally
            {
                frame.Return();
                call.Release();
            }
        }

        internal override ItemSink<TItem> OpenItems<TInvocation, TItem>() =>
            new Streams.RemoteItemSink<TInvocation, TItem>(call._connection, call._callId, this);

        public override void Fail(Exception exception)
        {
            if (Interlocked.Exchange(ref _frame, null) is { } frame)
            {
                frame.Return();
            }

            call.Fail(exception);
            call.Release();
        }
    }
}
