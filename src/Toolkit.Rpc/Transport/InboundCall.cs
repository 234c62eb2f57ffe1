using System.Buffers;
using Toolkit.Rpc.Calls;
using Toolkit.Rpc.Gateways;
using Toolkit.Rpc.Serialization;

namespace Toolkit.Rpc.Transport;

/// <summary>
/// A call that arrived over a connection: queued in the target endpoint's mailbox, dispatched on its main thread
/// through the generated dispatch table, and answered with a reply frame (for an ask) on the same connection.
/// </summary>
internal sealed class InboundCall : PendingCall
{
    private readonly RpcConnection _connection;
    private readonly RpcEndpoint _endpoint;
    private readonly RpcMethodHandler _handler;
    private readonly long _callId;
    private readonly TimeSpan _timeout;
    private readonly CancellationTokenSource? _cancellation;
    private readonly Reply _reply;
    private byte[]? _arguments;
    private int _argumentsLength;
    private long _token;

    public InboundCall(RpcConnection connection, RpcEndpoint endpoint, RpcMethodHandler handler, long callId, TimeSpan timeout, in ReadOnlySequence<byte> arguments)
    {
        _connection = connection;
        _endpoint = endpoint;
        _handler = handler;
        _callId = callId;
        _timeout = timeout;
        _cancellation = handler.Method.HasCancellation && callId != 0 ? new CancellationTokenSource() : null;
        _argumentsLength = (int)arguments.Length;
        _arguments = ArrayPool<byte>.Shared.Rent(Math.Max(_argumentsLength, 1));
        arguments.CopyTo(_arguments);
        _reply = new Reply(this);
        _token = BeginTracking(long.MaxValue);
    }

    public long CallId => _callId;

    public bool IsCancellable => _cancellation is not null;

    public override MailboxItemKind Kind => MailboxItemKind.Call;

    protected override bool IsPooled => false;

    /// <summary>The call's site, for error messages only: each use formats the service's address anew.</summary>
    internal RpcCallSite Site => _endpoint.CallSite(_handler.Method);

    public override void Execute(RpcEndpoint endpoint)
    {
        if (!IsPending(_token))
        {
            ReturnArguments();
            return;
        }

        endpoint.TrackInFlight(this);
        RpcReader reader = new(_arguments.AsSpan(0, _argumentsLength), _connection.Service);
        _handler.Invoke(endpoint, ref reader, new RpcCallContext(_timeout, _cancellation?.Token ?? default), _reply);

        // The dispatch table decodes the arguments before it calls the method, so the buffer is free now.
        ReturnArguments();
    }

    public override void Reject(RpcEndpoint endpoint, RpcEndpointState state)
    {
        ReturnArguments();
        Fail(ReplyStatus.Unavailable, state, $"endpoint '{_endpoint.DisplayName}' is {state}");
    }

    internal override void FailInFlight(RpcEndpointState state) => Fail(ReplyStatus.Unavailable, state, $"endpoint '{_endpoint.DisplayName}' stopped while the call ran");

    protected internal override void OnTimedOut()
    {
    }

    /// <summary>The caller gave up or its connection closed: fire the method's token on the endpoint's main thread.</summary>
    public void Cancel()
    {
        if (_cancellation is { } cancellation && IsPending(_token))
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

    private bool TryFinish()
    {
        if (!TryComplete(_token))
        {
            return false;
        }

        _endpoint.UntrackInFlight(this);
        _connection.InboundFinished(this);
        return true;
    }

    private void Fail(ReplyStatus status, RpcEndpointState state, string message)
    {
        if (TryFinish())
        {
            _connection.SendFailure(_callId, status, message, state);
        }
    }

    private void Fail(Exception exception)
    {
        if (!TryFinish())
        {
            return;
        }

        if (_callId == 0)
        {
            _endpoint.ReportOneWayFailure(_handler.Method, exception);
            return;
        }

        switch (exception)
        {
            case OperationCanceledException when _cancellation is { IsCancellationRequested: true }:
                _connection.SendFailure(_callId, ReplyStatus.Cancelled, "the method observed the cancellation");
                break;
            case RpcSerializationException serialization:
                _connection.SendFailure(_callId, ReplyStatus.Serialization, serialization.Message);
                break;
            default:
                _connection.SendException(_callId, exception);
                break;
        }
    }

    private sealed class Reply(InboundCall call) : RpcReply
    {
        private FrameBuffer? _frame;

        public override RpcSerializationContext? SerializationContext => call._connection.Service;

        public override IBufferWriter<byte> BeginResult()
        {
            _frame = call._callId == 0 ? FrameBuffer.Rent(FrameType.Reply) : RpcConnection.BeginReply(call._callId, ReplyStatus.Ok);
            return _frame;
        }

        public override void EndResult()
        {
            FrameBuffer frame = _frame!;
            _frame = null;
            try
            {
                if (call.TryFinish() && call._callId != 0)
                {
                    call._connection.SendReply(frame, call);
                }
            }
            finally
            {
                frame.Return();
            }
        }

        public override void Fail(Exception exception)
        {
            if (Interlocked.Exchange(ref _frame, null) is { } frame)
            {
                frame.Return();
            }

            call.Fail(exception);
        }
    }
}
