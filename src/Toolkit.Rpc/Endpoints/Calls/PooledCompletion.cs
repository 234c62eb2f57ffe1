using System.Threading.Tasks.Sources;

namespace Toolkit.Rpc.Calls;

/// <summary>
/// What every pooled call that its caller awaits directly shares: the pool it is rented from and goes back to, its
/// registration with the call tracker, and the outcome of each use, handed to the caller through
/// <see cref="IValueTaskSource{TResult}"/> (the call implements the interface by forwarding to this).
/// </summary>
/// <remarks>
/// A call is registered with the tracker once, when it is made, and stays registered across uses, so that a call
/// allocates neither the item nor a tracker slot. Each use has its own version, which the caller's
/// <see cref="ValueTask{TResult}"/> carries: the caller reads the outcome once, with that version, and that read ends
/// the caller's share of the call. A mutable struct kept in a field of the call: never copied, never read-only.
/// </remarks>
internal struct PooledCompletion<TCall, TResult>
    where TCall : PendingCall, IPooledCall<TCall>
{
    private readonly ItemPool<TCall> _pool;
    private ManualResetValueTaskSourceCore<TResult> _core;

    /// <param name="pool">The pool the call goes back to.</param>
    /// <param name="runContinuationsAsynchronously">
    /// Whether the caller's continuation is queued to the thread pool rather than run by whoever sets the outcome.
    /// </param>
    public PooledCompletion(ItemPool<TCall> pool, bool runContinuationsAsynchronously)
    {
        _pool = pool;
        _core = new ManualResetValueTaskSourceCore<TResult> { RunContinuationsAsynchronously = runContinuationsAsynchronously };
    }

    /// <summary>The version of the current use, which the caller's task carries.</summary>
    public readonly short Version => _core.Version;

    /// <summary>Takes a call from <paramref name="runtime"/>'s pool of <typeparamref name="TCall"/>, or makes one and registers it with the tracker.</summary>
    public static TCall Rent(EndpointRuntime runtime)
    {
        ItemPool<TCall> pool = runtime.Pools.Get<TCall>();
        TCall? call = pool.Rent();
        if (call is null)
        {
            call = TCall.Create(pool);
            runtime.Tracker.Add(call);
        }

        return call;
    }

    public void SetResult(TResult result) => _core.SetResult(result);

    public void SetException(Exception failure) => _core.SetException(failure);

    public readonly ValueTaskSourceStatus GetStatus(short token) => _core.GetStatus(token);

    public void OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _core.OnCompleted(continuation, state, token, flags);

    /// <summary>
    /// Hands the outcome of the use <paramref name="token"/> names to the caller. Reading a use's outcome ends the
    /// caller's share of <paramref name="call"/> (<see cref="IPooledCall{TSelf}.OnOutcomeRead"/>), also when the outcome
    /// is an exception; a read with a stale version, or before the outcome is set, throws and ends nothing.
    /// </summary>
    public TResult GetResult(short token, TCall call)
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
                call.OnOutcomeRead();
            }
        }
    }

    /// <summary>
    /// Ends the use for good: lets go of its outcome (the tracker and the pool keep the call, which must not keep a
    /// result alive), starts the next version, and returns <paramref name="call"/> to its pool — unless the tracker
    /// evicted it meanwhile, or the pool is full, when the call is dropped and the tracker forgets it.
    /// </summary>
    public void Recycle(TCall call)
    {
        _core.Reset();
        PendingCall.Recycle(call, _pool);
    }
}
