namespace Toolkit.Rpc.Calls;

/// <summary>
/// A small lock-free pool: a fixed array of slots claimed by compare-and-swap, so renting and returning never
/// allocate or block. A full pool refuses a return; the caller then lets the item go.
/// </summary>
internal sealed class ItemPool<T>
    where T : class
{
    private readonly T?[] _slots = new T?[Math.Max(16, Environment.ProcessorCount * 8)];

    public T? Rent()
    {
        T?[] slots = _slots;
        for (int i = 0; i < slots.Length; i++)
        {
            T? item = Volatile.Read(ref slots[i]);
            if (item is not null && Interlocked.CompareExchange(ref slots[i], null, item) == item)
            {
                return item;
            }
        }

        return null;
    }

    public bool Return(T item)
    {
        T?[] slots = _slots;
        for (int i = 0; i < slots.Length; i++)
        {
            if (Volatile.Read(ref slots[i]) is null && Interlocked.CompareExchange(ref slots[i], item, null) is null)
            {
                return true;
            }
        }

        return false;
    }
}
