namespace Toolkit.Rpc.Calls;

/// <summary>A call its caller awaits directly, from a pool of its kind: what <see cref="PooledCompletion{TCall, TResult}"/> needs of it.</summary>
/// <typeparam name="TSelf">The call's own type, which its pool holds.</typeparam>
internal interface IPooledCall<TSelf>
    where TSelf : PendingCall, IPooledCall<TSelf>
{
    /// <summary>Makes a call for <paramref name="pool"/>, when the pool had none to lend.</summary>
    static abstract TSelf Create(ItemPool<TSelf> pool);

    /// <summary>The caller read the outcome of the current use: its share of the call ends (the last share returns it to its pool).</summary>
    void OnOutcomeRead();
}
