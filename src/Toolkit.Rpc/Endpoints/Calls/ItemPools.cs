using System.Runtime.CompilerServices;

namespace Toolkit.Rpc.Calls;

/// <summary>One service's pools, one per call-item type, found by a per-type index instead of a dictionary lookup.</summary>
internal sealed class ItemPools
{
    private static int s_nextIndex = -1;

    private readonly Lock _lock = new();
    private object?[] _pools = new object?[32];

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ItemPool<T> Get<T>()
        where T : class
    {
        int index = Slot<T>.Index;
        object?[] pools = _pools;
        return (uint)index < (uint)pools.Length && pools[index] is ItemPool<T> pool ? pool : GetSlow<T>(index);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private ItemPool<T> GetSlow<T>(int index)
        where T : class
    {
        lock (_lock)
        {
            if (index >= _pools.Length)
            {
                object?[] grown = new object?[Math.Max(index + 1, _pools.Length * 2)];
                _pools.CopyTo(grown, 0);
                // Publish the grown array only once it holds every existing pool.
                Volatile.Write(ref _pools, grown);
            }

            if (_pools[index] is not ItemPool<T> pool)
            {
                pool = new ItemPool<T>();
                Volatile.Write(ref _pools[index], pool);
            }

            return pool;
        }
    }

    private static class Slot<T>
    {
        public static readonly int Index = Interlocked.Increment(ref s_nextIndex);
    }
}
