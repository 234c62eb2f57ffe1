using System.Collections.Concurrent;

namespace Toolkit.Rpc.Calls;

/// <summary>
/// A bounded pool that never blocks: one slot taken by a single compare-and-swap (the common case of one caller at
/// a time), behind it a <see cref="ConcurrentBag{T}"/>, whose per-thread lists let many concurrent callers rent
/// and return without contending (an item usually returns on the thread that rented it). A full pool refuses a
/// return; the caller then lets the item go.
/// </summary>
internal sealed class ItemPool<T>
    where T : class
{
    private const int Capacity = 1024;

    private readonly ConcurrentBag<T> _items = [];
    private T? _fast;

    // Approximate on purpose: it only bounds the bag, and reading ConcurrentBag.Count would lock every list.
    private int _count;

    public T? Rent()
    {
        T? item = Volatile.Read(ref _fast);
        if (item is not null && Interlocked.CompareExchange(ref _fast, null, item) == item)
        {
            return item;
        }

        if (Volatile.Read(ref _count) > 0 && _items.TryTake(out item))
        {
            Interlocked.Decrement(ref _count);
            return item;
        }

        return null;
    }

    public bool Return(T item)
    {
        if (Volatile.Read(ref _fast) is null && Interlocked.CompareExchange(ref _fast, item, null) is null)
        {
            return true;
        }

        if (Volatile.Read(ref _count) >= Capacity)
        {
            return false;
        }

        Interlocked.Increment(ref _count);
        _items.Add(item);
        return true;
    }
}
