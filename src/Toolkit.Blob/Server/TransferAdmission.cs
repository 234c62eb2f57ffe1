namespace Toolkit.Blob;

/// <summary>
/// Bounds the transfers of a server: at most <c>maxRunning</c> at once, at most <c>maxWaiting</c> more waiting for a
/// slot; a transfer beyond both is refused at once (Flink's blob server let the accept backlog grow instead, and its
/// clients retried within milliseconds until they ran out of sockets).
/// </summary>
internal sealed class TransferAdmission(int maxRunning, int maxWaiting)
{
    private readonly SemaphoreSlim _slots = new(maxRunning, maxRunning);
    private int _admitted;

    public int MaxRunning => maxRunning;

    public int MaxWaiting => maxWaiting;

    public int Running => Math.Min(Volatile.Read(ref _admitted), maxRunning);

    public int Waiting => Math.Max(Volatile.Read(ref _admitted) - maxRunning, 0);

    /// <summary>Reserves a place, running or waiting; false when both are full. A true return must be matched by <see cref="Leave"/>.</summary>
    public bool TryEnter()
    {
        if (Interlocked.Increment(ref _admitted) > maxRunning + maxWaiting)
        {
            Interlocked.Decrement(ref _admitted);
            return false;
        }

        return true;
    }

    /// <summary>Waits for a running slot; false when none freed within <paramref name="timeout"/>.</summary>
    public Task<bool> WaitForSlotAsync(TimeSpan timeout, CancellationToken cancellation) => _slots.WaitAsync(timeout, cancellation);

    public void ReleaseSlot() => _slots.Release();

    public void Leave() => Interlocked.Decrement(ref _admitted);
}
