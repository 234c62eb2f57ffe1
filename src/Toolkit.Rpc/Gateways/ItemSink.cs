namespace Toolkit.Rpc.Infrastructure;

/// <summary>
/// Where a stream's producer puts its items: a connection (batched into frames) or, for a local call, the consumer's
/// queue. The consumer grants credits; the producer takes one item per credit, so that a slow consumer bounds what is
/// in flight. Used only from the producing endpoint's main thread, but credits and the consumer's going away arrive
/// from other threads.
/// </summary>
/// <typeparam name="TItem">The stream's item.</typeparam>
internal abstract class ItemSink<TItem>
{
    /// <summary>Whether the consumer allows one more item now.</summary>
    public abstract bool HasCredit { get; }

    /// <summary>Takes one credit and adds <paramref name="item"/> to the batch being built.</summary>
    public abstract void Add(TItem item);

    /// <summary>Hands the batch built so far to the consumer; the producer is about to wait.</summary>
    public abstract void Flush();

    /// <summary>Completes when the consumer grants credit; throws when <paramref name="cancellation"/> fires first.</summary>
    public abstract Task WaitForCreditAsync(CancellationToken cancellation);

    /// <summary>The producer finished: the consumer's enumeration ends after the items sent.</summary>
    public abstract void Complete();

    /// <summary>The producer threw, or was cancelled: the consumer's enumeration ends with it after the items sent.</summary>
    public abstract void Fail(Exception exception);
}
