using System.Buffers;

namespace Toolkit.Rpc.Calls;

/// <summary>
/// A local call that takes the remote path in-process (<see cref="RpcServiceOptions.SerializeLocalCalls"/>):
/// the arguments are written with the generated serializers when the call is made, read back by the endpoint's
/// dispatch table on its main thread, and the result is written and read again — so tests prove that every
/// message crosses the wire. Not pooled: it serves tests, not the hot path.
/// </summary>
internal sealed class SerializedCall<TInvocation, TResult> : PendingCall, IMailboxItem
    where TInvocation : struct, IRpcInvocation<TInvocation, TResult>
{
    private readonly EndpointRuntime _service;
    private readonly RpcEndpoint _endpoint;
    private byte[]? _arguments; // until the method has read them
    private readonly TimeSpan _timeout;
    private readonly long _epoch;
    private readonly CancellationToken _callerCancellation;
    private readonly CancellationTokenSource? _callCancellation;
    private readonly TaskCompletionSource<TResult>? _completion;
    private CancellationTokenRegistration _callerRegistration;

    private SerializedCall(EndpointRuntime service, RpcEndpoint endpoint, byte[] arguments, TimeSpan timeout, CancellationToken cancellation, long epoch, bool oneWay)
    {
        _epoch = epoch;
        _service = service;
        _endpoint = endpoint;
        _arguments = arguments;
        _timeout = timeout;
        _callerCancellation = cancellation;
        _callCancellation = TInvocation.Method.HasCancellation ? new CancellationTokenSource() : null;
        _completion = oneWay ? null : new TaskCompletionSource<TResult>(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    public MailboxItemKind Kind => MailboxItemKind.Call;

    protected override bool IsPooled => false;

    private RpcCallSite Site => _endpoint.CallSite(TInvocation.Method);

    public static ValueTask<TResult> Ask(EndpointRuntime service, RpcEndpoint endpoint, in TInvocation invocation, TimeSpan timeout, CancellationToken cancellation, long epoch)
    {
        byte[] arguments;
        try
        {
            arguments = WriteArguments(service, invocation);
        }
        catch (Exception exception)
        {
            return ValueTask.FromException<TResult>(new RpcSerializationException(endpoint.CallSite(TInvocation.Method), $"the arguments could not be written: {exception.Message}", exception));
        }

        SerializedCall<TInvocation, TResult> call = new(service, endpoint, arguments, timeout, cancellation, epoch, oneWay: false);
        call.Begin(timeout);
        return new ValueTask<TResult>(call._completion!.Task);
    }

    public static void Tell(EndpointRuntime service, RpcEndpoint endpoint, in TInvocation invocation, long epoch)
    {
        byte[] arguments;
        try
        {
            arguments = WriteArguments(service, invocation);
        }
        catch (Exception exception)
        {
            endpoint.ReportOneWayFailure(TInvocation.Method, exception);
            return;
        }

        new SerializedCall<TInvocation, TResult>(service, endpoint, arguments, Timeout.InfiniteTimeSpan, default, epoch, oneWay: true).Begin(Timeout.InfiniteTimeSpan);
    }

    public void Execute(RpcEndpoint endpoint)
    {
        // Read once, then let go: the call tracker keeps a finished call until its next sweep.
        byte[] arguments = _arguments!;
        _arguments = null;
        if (!IsPending(Token))
        {
            return;
        }

        RpcMethodHandler? handler = endpoint.FindHandler(TInvocation.Method);
        if (handler is null)
        {
            Fail(new RpcException(Site, "the endpoint's dispatch table has no entry for the method"), cancelCall: false);
            return;
        }

        if (TInvocation.Method.IsFenced && endpoint.Fence(TInvocation.Method, _epoch) is { } fenced)
        {
            Fail(fenced, cancelCall: false);
            return;
        }

        // Tracked until the reply, so that stopping the endpoint fails the call instead of leaving it to time out.
        endpoint.TrackInFlight(this, Token);
        RpcReader reader = new(arguments, _service.SerializationContext);
        handler.Invoke(endpoint, ref reader, new RpcCallContext(_timeout, _callCancellation?.Token ?? _callerCancellation), new Reply(this));
    }

    public void Reject(RpcEndpoint endpoint, RpcEndpointState state) =>
        Fail(new RpcEndpointUnavailableException(Site, state), cancelCall: true);

    // Not pooled: the tracked use is its only one.
    internal override void FailInFlight(long token, RpcEndpointState state) => Fail(new RpcEndpointUnavailableException(Site, state), cancelCall: true);

    protected internal override void OnTimedOut()
    {
        _callerRegistration.Unregister();
        _callCancellation?.Cancel();
        _completion?.TrySetException(new RpcTimeoutException(Site, _timeout));
    }

    private static byte[] WriteArguments(EndpointRuntime service, in TInvocation invocation)
    {
        ArrayBufferWriter<byte> buffer = new();
        RpcWriter writer = new(buffer, service.SerializationContext);
        invocation.WriteArguments(ref writer);
        writer.Flush();
        return buffer.WrittenSpan.ToArray();
    }

    private void Begin(TimeSpan timeout)
    {
        BeginTracking(_service.Tracker.DeadlineAfter(timeout));
        _service.Tracker.Add(this);
        if (_callerCancellation.CanBeCanceled)
        {
            _callerRegistration = _callerCancellation.UnsafeRegister(
                static (state, token) => ((SerializedCall<TInvocation, TResult>)state!).Fail(CallFailures.Cancelled(((SerializedCall<TInvocation, TResult>)state!).Site, token), cancelCall: true),
                this);
        }

        _endpoint.Enqueue(this);
    }

    private void Succeed(TResult result)
    {
        if (TryComplete(Token))
        {
            _endpoint.UntrackInFlight(this);
            _callerRegistration.Unregister();
            _completion?.TrySetResult(result);
        }
    }

    private void Fail(Exception exception, bool cancelCall)
    {
        if (!TryComplete(Token))
        {
            return;
        }

        _endpoint.UntrackInFlight(this);
        _callerRegistration.Unregister();
        if (cancelCall)
        {
            _callCancellation?.Cancel();
        }

        if (_completion is null)
        {
            _endpoint.ReportOneWayFailure(TInvocation.Method, exception);
        }
        else
        {
            _completion.TrySetException(exception);
        }
    }

    private sealed class Reply(SerializedCall<TInvocation, TResult> call) : RpcReply
    {
        private readonly ArrayBufferWriter<byte> _result = new();

        public override RpcSerializationContext? SerializationContext => call._service.SerializationContext;

        public override IBufferWriter<byte> BeginResult() => _result;

        public override void EndResult()
        {
            TResult result;
            try
            {
                RpcReader reader = new(_result.WrittenSpan, call._service.SerializationContext);
                result = TInvocation.ReadResult(ref reader);
                reader.EnsureFullyConsumed();
            }
            catch (Exception exception)
            {
                call.Fail(new RpcSerializationException(call.Site, $"the result could not be read: {exception.Message}", exception), cancelCall: false);
                return;
            }

            call.Succeed(result);
        }

        public override void Fail(Exception exception) =>
            call.Fail(CallFailures.FromEndpoint(call.Site, TInvocation.Method, exception, call._callerCancellation, call._service.SerializationContext), cancelCall: false);
    }
}
