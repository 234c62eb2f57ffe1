namespace Toolkit.Rpc;

/// <summary>
/// An endpoint whose <see cref="RpcFencedAttribute"/> gateways run a call only when the epoch it carries is the
/// endpoint's current <see cref="Epoch"/> — Flink's fenced endpoint, with the leader epoch as the fencing token. The
/// endpoint sets its epoch when it is granted leadership and clears it when leadership is revoked; from then on every
/// fenced call, queued or new, is refused with an <see cref="RpcFencingException"/> naming both epochs. The check runs
/// on the main thread when the call's turn comes, so that no call runs under an epoch other than the one it was sent
/// for, however long it waited in the mailbox.
/// </summary>
public abstract class FencedRpcEndpoint : RpcEndpoint
{
    private long _epoch = FencingToken.None;

    /// <summary>The epoch the endpoint leads in, or null while it is not the leader (every fenced call is then refused).</summary>
    /// <remarks>Read on the main thread; elsewhere the value may be stale.</remarks>
    public long? Epoch => FencingToken.ToNullable(Volatile.Read(ref _epoch));

    /// <summary>
    /// Sets the epoch the endpoint leads in (on leadership granted), or null (on leadership revoked). Runs on the main
    /// thread, so that it falls between two calls.
    /// </summary>
    /// <exception cref="InvalidOperationException">The caller is not on the endpoint's main thread.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="epoch"/> is <see cref="long.MinValue"/>, which no epoch can be.</exception>
    protected void SetEpoch(long? epoch)
    {
        ValidateRunsInMainThread();
        if (epoch is { } value)
        {
            FencingToken.ThrowIfNone(value, nameof(epoch));
        }

        Volatile.Write(ref _epoch, epoch ?? FencingToken.None);
    }

    internal override RpcFencingException? Fence(RpcMethodDescriptor method, long callEpoch)
    {
        long epoch = _epoch;
        return callEpoch != FencingToken.None && callEpoch == epoch
            ? null
            : new RpcFencingException(CallSite(method), FencingToken.ToNullable(callEpoch), FencingToken.ToNullable(epoch));
    }
}
