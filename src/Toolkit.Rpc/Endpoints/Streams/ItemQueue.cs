namespace Toolkit.Rpc.Streams;

/// <summary>
/// The queue between a local stream's producer (one endpoint's main thread) and its consumer (any one thread at a
/// time). The producer builds a batch without a lock and hands it over on <see cref="Flush"/>; the consumer takes a
/// whole handed-over batch at once. At most <c>window</c> items are produced and not yet consumed: the producer waits
/// for credit beyond it, and is woken when the consumer has brought that down to half.
/// </summary>
internal sealed class ItemQueue<TItem>(int window)
{
    private readonly Lock _lock = new();
    private readonly int _resumeAt = window / 2;
    private List<TItem> _building = [];
    private List<TItem> _ready = [];
    private List<TItem> _reading = [];
    private int _readIndex;
    private TItem _current = default!;

    // Produced and not yet consumed: the producer's credit is what the window leaves.
    private int _inFlight;
    private bool _ended;
    private volatile bool _stopped;
    private Exception? _failure;
    private TaskCompletionSource<bool>? _consumerWaiter;
    private TaskCompletionSource? _producerWaiter;

    public TItem Current => _current;

    /// <summary>Items produced and not yet consumed; never more than the window.</summary>
    public int InFlight => Volatile.Read(ref _inFlight);

    public bool HasCredit => Volatile.Read(ref _inFlight) < window;

    public void Add(TItem item)
    {
        _building.Add(item);
        Interlocked.Increment(ref _inFlight);
    }

    public void Flush()
    {
        if (_building.Count == 0)
        {
            return;
        }

        TaskCompletionSource<bool>? waiter;
        lock (_lock)
        {
            if (_stopped)
            {
                _building.Clear();
                return;
            }

            if (_ready.Count == 0)
            {
                (_ready, _building) = (_building, _ready);
            }
            else
            {
                _ready.AddRange(_building);
                _building.Clear();
            }

            waiter = _consumerWaiter;
            _consumerWaiter = null;
        }

        waiter?.TrySetResult(true);
    }

    /// <summary>
    /// Completes once the consumer has brought the items in flight down to half the window. Once the consumer has
    /// left it never completes by itself: the producer's cancellation, already posted, ends the wait.
    /// </summary>
    public Task WaitForCreditAsync(CancellationToken cancellation)
    {
        lock (_lock)
        {
            if (!_stopped && Volatile.Read(ref _inFlight) <= _resumeAt)
            {
                return Task.CompletedTask;
            }

            _producerWaiter ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            return _producerWaiter.Task.WaitAsync(cancellation);
        }
    }

    public ValueTask<bool> MoveNextAsync()
    {
        if (_readIndex < _reading.Count && !_stopped)
        {
            Take();
            return new ValueTask<bool>(true);
        }

        return MoveNextSlowAsync();
    }

    /// <summary>
    /// Ends the stream: the consumer reads what is queued, then sees the end, or <paramref name="failure"/>; with
    /// <paramref name="discardQueued"/> (the consumer itself left) it sees its end at once.
    /// </summary>
    public void End(Exception? failure, bool discardQueued)
    {
        TaskCompletionSource<bool>? waiter;
        lock (_lock)
        {
            _ended = true;
            _failure = failure;
            if (discardQueued)
            {
                _stopped = true;
                _ready.Clear();
            }

            waiter = _consumerWaiter;
            _consumerWaiter = null;
        }

        waiter?.TrySetResult(true);
    }

    /// <summary>The consumer disposed its enumerator: what it did not read goes.</summary>
    public void Abandon()
    {
        lock (_lock)
        {
            _stopped = true;
            _ready.Clear();
            _reading.Clear();
            _readIndex = 0;
        }
    }

    private async ValueTask<bool> MoveNextSlowAsync()
    {
        while (true)
        {
            Task<bool>? waiting = null;
            lock (_lock)
            {
                if (_stopped || (_ready.Count == 0 && _ended))
                {
                    return _failure is { } failure ? throw failure : false;
                }

                if (_ready.Count > 0)
                {
                    _reading.Clear();
                    (_reading, _ready) = (_ready, _reading);
                    _readIndex = 0;
                }
                else
                {
                    _consumerWaiter ??= new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
                    waiting = _consumerWaiter.Task;
                }
            }

            if (waiting is null)
            {
                Take();
                return true;
            }

            await waiting.ConfigureAwait(false);
        }
    }

    private void Take()
    {
        _current = _reading[_readIndex];
        _reading[_readIndex++] = default!;
        if (Interlocked.Decrement(ref _inFlight) <= _resumeAt && Volatile.Read(ref _producerWaiter) is not null)
        {
            TaskCompletionSource? waiter;
            lock (_lock)
            {
                waiter = _producerWaiter;
                _producerWaiter = null;
            }

            waiter?.TrySetResult();
        }
    }
}
