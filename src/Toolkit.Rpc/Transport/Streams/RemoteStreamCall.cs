using System.Buffers;
using Toolkit.Rpc.Calls;
using Toolkit.Rpc.Streams;
using Toolkit.Rpc.Transport.Protocol;

namespace Toolkit.Rpc.Transport.Streams;

/// <summary>
/// One enumeration of a remote item stream: a call registered like an ask (its reply, the stream's end, and the
/// connection's loss complete it through <see cref="RemoteCall"/>), whose item batches the reader queues as they
/// arrive. Batches are decoded on the consumer's thread. The consumer grants the producer its window in credits as it
/// consumes; cancelling or disposing sends a cancel frame, which stops the producer.
/// </summary>
internal sealed class RemoteStreamCall<TInvocation, TItem> : RemoteCall, IAsyncEnumerator<TItem>, IItemStreamConsumer
    where TInvocation : struct, IRpcStreamInvocation<TInvocation, TItem>
{
    private readonly Lock _lock = new();
    private readonly Queue<(byte[] Buffer, int Length)> _batches = new();
    private readonly List<TItem> _items = [];
    private readonly int _window;
    private readonly CancellationTokenRegistration[] _registrations = new CancellationTokenRegistration[2];
    private int _index;
    private TItem _current = default!;
    private long _granted = StreamCreditFrame.InitialCredit;
    private long _consumed;

    // Batches received: each holds at least one item, so a producer within its credit never sends more batches than
    // items granted; one that does is stopped before the queue it fills can grow past the window.
    private long _batchesReceived;
    private bool _ended;
    private volatile bool _stopped;
    private Exception? _failure;
    private TaskCompletionSource? _waiter;

    private RemoteStreamCall(RpcConnection connection, long callId, RpcCallSite site, int window)
        : base(connection, callId, site) => _window = window;

    public TItem Current => _current;

    protected override bool IsPooled => false;

    public static IAsyncEnumerator<TItem> Start(
        RpcConnection connection, RemoteRpcTarget target, in TInvocation invocation, RpcCallSite site, CancellationToken cancellation, CancellationToken enumeration)
    {
        RemoteStreamCall<TInvocation, TItem> call = new(connection, connection.NextCallId(), site, target.Host.Options.ItemStreamWindow);
        call.BeginTracking(long.MaxValue);
        FrameBuffer frame = target.BeginUntimedRequest(connection, call.CallId, TInvocation.Method);
        try
        {
            RpcWriter writer = new(frame, connection.Contracts);
            invocation.WriteArguments(ref writer);
            writer.Flush();
            if (frame.Length > connection.FrameLimit)
            {
                return new FailedItemStream<TItem>(new RpcMessageTooLargeException(site, "request", frame.Length, connection.FrameLimit));
            }

            connection.Streams.AddConsumer(call.CallId, call);
            if (!connection.Register(call) || !connection.Enqueue(frame.Complete(), force: true))
            {
                call.OnConnectionClosed(call.CallId, connection.CloseReason);
                return call;
            }
        }
        catch (FrameTooLargeException tooLarge)
        {
            return new FailedItemStream<TItem>(RpcMessageTooLargeException.Stopped(site, "request", tooLarge.Written, tooLarge.Limit));
        }
        catch (Exception exception)
        {
            return new FailedItemStream<TItem>(new RpcSerializationException(site, $"the arguments could not be written: {exception.Message}", exception));
        }
        finally
        {
            frame.Return();
        }

        call._registrations[0] = cancellation.UnsafeRegister(static (state, token) => ((RemoteStreamCall<TInvocation, TItem>)state!).OnCancelled(token), call);
        call._registrations[1] = enumeration.UnsafeRegister(static (state, token) => ((RemoteStreamCall<TInvocation, TItem>)state!).OnCancelled(token), call);
        return call;
    }

    public void OnItems(in ReadOnlySequence<byte> items)
    {
        if (++_batchesReceived > Volatile.Read(ref _granted))
        {
            GiveUp(new RpcException(Site, $"the producer sent more than the {Volatile.Read(ref _granted):N0} items this side granted"));
            return;
        }

        byte[] buffer = ArrayPool<byte>.Shared.Rent((int)items.Length);
        items.CopyTo(buffer);
        TaskCompletionSource? waiter;
        lock (_lock)
        {
            if (_stopped)
            {
                ArrayPool<byte>.Shared.Return(buffer);
                return;
            }

            _batches.Enqueue((buffer, (int)items.Length));
            waiter = _waiter;
            _waiter = null;
        }

        waiter?.TrySetResult();
    }

    public override bool OnReply(long callId, ReplyStatus status, in ReadOnlySequence<byte> payload)
    {
        if (callId != CallId || !TryComplete(Token))
        {
            return false;
        }

        Connection.Streams.RemoveConsumer(CallId, this);
        _failure = status == ReplyStatus.Ok ? null : ReadFailure(Site, TInvocation.Method, Connection.Contracts, status, payload);
        return true;
    }

    public override void Publish() => End(_failure, discardQueued: false);

    public override void OnConnectionClosed(long callId, Exception reason)
    {
        if (callId == CallId && TryComplete(Token))
        {
            Connection.Streams.RemoveConsumer(CallId, this);
            End(new RpcConnectionException(Site, reason.Message, reason), discardQueued: true);
        }
    }

    protected internal override void OnTimedOut()
    {
    }

    public ValueTask<bool> MoveNextAsync()
    {
        if (_index < _items.Count && !_stopped)
        {
            Take();
            return new ValueTask<bool>(true);
        }

        return MoveNextSlowAsync();
    }

    /// <summary>The consumer let go: a producer still running is told to stop, and what was not read goes.</summary>
    public ValueTask DisposeAsync()
    {
        GiveUp(null);
        lock (_lock)
        {
            _stopped = true;
            while (_batches.TryDequeue(out (byte[] Buffer, int Length) batch))
            {
                ArrayPool<byte>.Shared.Return(batch.Buffer);
            }

            _items.Clear();
            _index = 0;
        }

        return default;
    }

    private void OnCancelled(CancellationToken cancellation) => GiveUp(CallFailures.Cancelled(Site, cancellation));

    /// <summary>Ends the call from this side: the peer gets a cancel frame, the consumer <paramref name="failure"/> (or the end).</summary>
    private void GiveUp(Exception? failure)
    {
        if (!TryComplete(Token))
        {
            return;
        }

        Connection.Streams.RemoveConsumer(CallId, this);
        Connection.Forget(this, sendCancel: true);
        End(failure, discardQueued: true);
    }

    private void End(Exception? failure, bool discardQueued)
    {
        foreach (CancellationTokenRegistration registration in _registrations)
        {
            registration.Unregister();
        }

        TaskCompletionSource? waiter;
        lock (_lock)
        {
            _ended = true;
            _failure = failure;
            _stopped |= discardQueued;
            waiter = _waiter;
            _waiter = null;
        }

        waiter?.TrySetResult();
    }

    private async ValueTask<bool> MoveNextSlowAsync()
    {
        while (true)
        {
            Task? waiting = null;
            (byte[] Buffer, int Length) batch = default;
            lock (_lock)
            {
                if (_stopped || (_batches.Count == 0 && _ended))
                {
                    return _failure is { } failure ? throw failure : false;
                }

                if (!_batches.TryDequeue(out batch))
                {
                    _waiter ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                    waiting = _waiter.Task;
                }
            }

            if (waiting is not null)
            {
                await waiting.ConfigureAwait(false);
                continue;
            }

            Decode(batch.Buffer, batch.Length);
            Take();
            return true;
        }
    }

    private void Decode(byte[] buffer, int length)
    {
        _items.Clear();
        _index = 0;
        try
        {
            RpcReader reader = new(buffer.AsSpan(0, length), Connection.Contracts);
            while (reader.Remaining > 0)
            {
                _items.Add(TInvocation.ReadItem(ref reader));
            }
        }
        catch (Exception exception)
        {
            RpcSerializationException failure = new(Site, $"an item of the stream could not be read: {exception.Message}", exception);
            GiveUp(failure);
            throw failure;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private void Take()
    {
        _current = _items[_index];
        _items[_index++] = default!;
        long outstanding = _granted - ++_consumed;
        if (outstanding <= _window / 2 && !IsDone)
        {
            int credit = _window - (int)outstanding;
            Volatile.Write(ref _granted, _granted + credit);
            FrameBuffer frame = FrameBuffer.Rent(FrameType.StreamCredit);
            StreamCreditFrame.Write(frame, CallId, credit);
            Connection.Enqueue(frame.Complete(), force: true);
            frame.Return();
        }
    }
}
