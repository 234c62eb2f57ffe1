using System.Buffers;
using Toolkit.Rpc.Calls;

namespace Toolkit.Rpc.Streams;

/// <summary>
/// One enumeration of a local item stream. The producer runs on the target endpoint's main thread (a mailbox item,
/// then <see cref="ItemStreamPump"/>), the consumer wherever it enumerates; between them a queue the producer may run
/// ahead of the consumer by at most the window. The outcome is claimed once (<see cref="PendingCall"/>'s
/// compare-and-swap) by the producer's end, the consumer's cancellation or disposal, or the endpoint's stopping.
/// </summary>
internal sealed class LocalStreamCall<TInvocation, TItem> : PendingCall, IMailboxItem, IAsyncEnumerator<TItem>
    where TInvocation : struct, IRpcStreamInvocation<TInvocation, TItem>
{
    private readonly RpcEndpoint _endpoint;
    private readonly TInvocation _invocation;
    private readonly RpcCallSite _site;
    private readonly CancellationTokenSource _producerCancellation = new();
    private readonly ItemQueue<TItem> _queue;
    private readonly CancellationTokenRegistration[] _registrations = new CancellationTokenRegistration[2];
    private readonly long _epoch;

    // With RpcServiceOptions.SerializeLocalCalls, the context each item is written and read back with, as it would
    // cross the wire; null to pass items by reference.
    private readonly RpcSerializationContext? _serializeThrough;
    private long _token;

    private LocalStreamCall(RpcEndpoint endpoint, int window, in TInvocation invocation, long epoch, RpcCallSite site, RpcSerializationContext? serializeThrough)
    {
        _endpoint = endpoint;
        _epoch = epoch;
        _serializeThrough = serializeThrough;
        _invocation = invocation;
        _site = site;
        _queue = new ItemQueue<TItem>(window);
    }

    public MailboxItemKind Kind => MailboxItemKind.Call;

    public TItem Current => _queue.Current;

    protected override bool IsPooled => false;

    public static LocalStreamCall<TInvocation, TItem> Start(
        RpcEndpoint endpoint, EndpointRuntime runtime, in TInvocation invocation, long epoch, RpcCallSite site, CancellationToken cancellation, CancellationToken enumeration)
    {
        RpcServiceOptions options = runtime.Options;
        LocalStreamCall<TInvocation, TItem> call = new(
            endpoint, options.ItemStreamWindow, invocation, epoch, site, options.SerializeLocalCalls ? runtime.SerializationContext : null);
        call._token = call.BeginTracking(long.MaxValue);
        call._registrations[0] = cancellation.UnsafeRegister(static (state, token) => ((LocalStreamCall<TInvocation, TItem>)state!).CancelByConsumer(token), call);
        call._registrations[1] = enumeration.UnsafeRegister(static (state, token) => ((LocalStreamCall<TInvocation, TItem>)state!).CancelByConsumer(token), call);
        endpoint.Enqueue(call, callerAwaits: true);
        return call;
    }

    public void Execute(RpcEndpoint endpoint)
    {
        if (!IsPending(_token))
        {
            return;
        }

        if (TInvocation.Method.IsFenced && endpoint.Fence(TInvocation.Method, _epoch) is { } fenced)
        {
            Finish(fenced);
            return;
        }

        IAsyncEnumerable<TItem> source;
        try
        {
            source = _invocation.Invoke(endpoint, new RpcCallContext(Timeout.InfiniteTimeSpan, _producerCancellation.Token));
        }
        catch (Exception exception)
        {
            Finish(CallFailures.FromEndpoint(_site, TInvocation.Method, exception, default, _serializeThrough));
            return;
        }

        // Tracked while it runs, so that stopping the endpoint ends the consumer's enumeration at once.
        endpoint.TrackInFlight(this, _token);
        if (!IsPending(_token))
        {
            endpoint.UntrackInFlight(this);
        }

        _ = ItemStreamPump.RunAsync(source, new Sink(this), _producerCancellation.Token);
    }

    public void Reject(RpcEndpoint endpoint, RpcEndpointState state) => Finish(new RpcEndpointUnavailableException(_site, state));

    internal override void FailInFlight(long token, RpcEndpointState state)
    {
        if (token == _token)
        {
            Finish(new RpcEndpointUnavailableException(_site, state, $"endpoint '{_endpoint.DisplayName}' stopped while the stream ran"));
        }
    }

    protected internal override void OnTimedOut()
    {
    }

    public ValueTask<bool> MoveNextAsync() => _queue.MoveNextAsync();

    /// <summary>The consumer let go: if the producer still runs, its token fires on its main thread.</summary>
    public ValueTask DisposeAsync()
    {
        if (Finish(null, consumerLeft: true))
        {
            CancelProducer();
        }

        _queue.Abandon();
        return default;
    }

    private void CancelByConsumer(CancellationToken cancellation)
    {
        if (Finish(CallFailures.Cancelled(_site, cancellation), consumerLeft: true))
        {
            CancelProducer();
        }
    }

    private void CancelProducer() =>
        _endpoint.Enqueue(new PostedCallback(static state => ((CancellationTokenSource)state!).Cancel(), _producerCancellation));

    /// <summary>Claims the outcome: null ends the enumeration after the queued items, an exception ends it with that.</summary>
    private bool Finish(Exception? failure, bool consumerLeft = false)
    {
        if (!TryComplete(_token))
        {
            return false;
        }

        _endpoint.UntrackInFlight(this);
        foreach (CancellationTokenRegistration registration in _registrations)
        {
            registration.Unregister();
        }

        _queue.End(failure, discardQueued: consumerLeft);
        return true;
    }

    /// <summary>The producer's side of the queue.</summary>
    private sealed class Sink(LocalStreamCall<TInvocation, TItem> call) : ItemSink<TItem>
    {
        private readonly ItemQueue<TItem> _queue = call._queue;

        public override bool HasCredit => _queue.HasCredit;

        public override void Add(TItem item) => _queue.Add(call._serializeThrough is { } context ? RoundTrip(item, context) : item);

        public override void Flush() => _queue.Flush();

        public override Task WaitForCreditAsync(CancellationToken cancellation) => _queue.WaitForCreditAsync(cancellation);

        public override void Complete() => call.Finish(null);

        private static TItem RoundTrip(TItem item, RpcSerializationContext context)
        {
            ArrayBufferWriter<byte> buffer = new();
            RpcWriter writer = new(buffer, context);
            TInvocation.WriteItem(ref writer, item);
            writer.Flush();
            RpcReader reader = new(buffer.WrittenSpan, context);
            TItem copy = TInvocation.ReadItem(ref reader);
            reader.EnsureFullyConsumed();
            return copy;
        }

        // As for a local ask: a declared fault reaches the consumer as itself (written and read back when local calls are
        // serialized), anything else as an RpcRemoteException.
        public override void Fail(Exception exception) =>
            call.Finish(CallFailures.FromEndpoint(call._site, TInvocation.Method, exception, default, call._serializeThrough));
    }
}
