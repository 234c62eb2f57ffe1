namespace Toolkit.Rpc.Calls;

/// <summary>
/// A bounded pool: one slot taken by a single compare-and-swap (the common case of one caller at a time), behind
/// it a stack under a lock for bursts — sized for many concurrent callers, so that they do not allocate. A full
/// pool refuses a return; the caller then lets the item go.
/// </summary>
internal sealed class ItemPool<T>
    where T : class
{
    private const int Capacity = 1024;

    private readonly Lock _lock = new();
    private readonly T?[] _items = new T?[Capacity];
    private int _count;
    private T? _fast;

    public T? Rent()
    {
        T? item = Volatile.Read(ref _fast);
        if (item is not null && Interlocked.CompareExchange(ref _fast, null, item) == item)
        {
            return item;
        }

        lock (_lock)
        {
            if (_count == 0)
            {
                return null;
            }

            item = _items[--_count];
            _items[_count] = null;
            return item;
        }
    }

    public bool Return(T item)
    {
        if (Volatile.Read(ref _fast) is null && Interlocked.CompareExchange(ref _fast, item, null) is null)
        {
            return true;
        }

        lock (_lock)
        {
            if (_count == Capacity)
            {
                return false;
            }

            _items[_count++] = item;
            return true;
        }
    }
}
