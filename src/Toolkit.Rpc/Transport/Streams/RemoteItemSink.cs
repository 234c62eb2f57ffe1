using Toolkit.Rpc.Transport.Protocol;

namespace Toolkit.Rpc.Transport.Streams;

/// <summary>
/// The producing end of an item stream whose consumer is across a connection: items are encoded into a
/// <see cref="FrameType.StreamItems"/> batch, sent when it holds <see cref="BatchBytes"/> or when the producer is about
/// to wait; one item per credit, credits granted by the consumer's <see cref="FrameType.StreamCredit"/> frames. The
/// stream's end or failure is the call's reply, sent after the last batch on the same connection.
/// </summary>
internal sealed class RemoteItemSink<TInvocation, TItem> : ItemSink<TItem>, IItemStreamProducer
    where TInvocation : struct, IRpcStreamInvocation<TInvocation, TItem>
{
    /// <summary>A batch goes out once it holds this many bytes: large enough to amortize a frame, small enough not to delay calls behind it.</summary>
    internal const int BatchBytes = 32 * 1024;

    private readonly RpcConnection _connection;
    private readonly long _callId;
    private readonly RpcReply _reply;
    private readonly Lock _lock = new();
    // A long: a peer's credits only add up, and a hostile sum must not wrap round to a stall.
    private long _credit = StreamCreditFrame.InitialCredit;
    private FrameBuffer? _batch;
    private TaskCompletionSource? _waiter;

    public RemoteItemSink(RpcConnection connection, long callId, RpcReply reply)
    {
        _connection = connection;
        _callId = callId;
        _reply = reply;
        // Before the first batch leaves: the consumer's first credit answers a batch, so it always finds this sink.
        connection.Streams.AddProducer(callId, this);
    }

    public override bool HasCredit => Volatile.Read(ref _credit) > 0;

    public override void Add(TItem item)
    {
        FrameBuffer batch = _batch ??= BeginBatch();
        RpcWriter writer = new(batch, _reply.SerializationContext);
        TInvocation.WriteItem(ref writer, item);
        writer.Flush();
        Interlocked.Decrement(ref _credit);
        if (batch.Length >= BatchBytes)
        {
            Flush();
        }
    }

    public override void Flush()
    {
        if (_batch is not { } batch)
        {
            return;
        }

        _batch = null;
        try
        {
            if (batch.Length > _connection.FrameLimit)
            {
                throw new FrameTooLargeException(batch.Length, _connection.FrameLimit);
            }

            // Forced past the send queue's limit: the credits already bound what one stream has in flight.
            _connection.Enqueue(batch.Complete(), force: true);
        }
        finally
        {
            batch.Return();
        }
    }

    public override Task WaitForCreditAsync(CancellationToken cancellation)
    {
        lock (_lock)
        {
            if (Volatile.Read(ref _credit) > 0)
            {
                return Task.CompletedTask;
            }

            _waiter ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            return _waiter.Task.WaitAsync(cancellation);
        }
    }

    public void Grant(int credit)
    {
        Interlocked.Add(ref _credit, credit);
        TaskCompletionSource? waiter;
        lock (_lock)
        {
            waiter = _waiter;
            _waiter = null;
        }

        waiter?.TrySetResult();
    }

    public override void Complete()
    {
        _connection.Streams.RemoveProducer(_callId, this);
        _reply.BeginResult();
        _reply.EndResult();
    }

    public override void Fail(Exception exception)
    {
        if (_batch is { } batch)
        {
            _batch = null;
            batch.Return();
        }

        _connection.Streams.RemoveProducer(_callId, this);
        _reply.Fail(exception is FrameTooLargeException tooLarge
            ? new RpcSerializationException($"an item of {TInvocation.Method.Name} is {tooLarge.Message}", tooLarge)
            : exception);
    }

    private FrameBuffer BeginBatch()
    {
        FrameBuffer batch = FrameBuffer.Rent(FrameType.StreamItems, _connection.FrameLimit);
        StreamItemsFrame.WriteHeader(batch, _callId);
        return batch;
    }
}
