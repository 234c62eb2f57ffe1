using System.Runtime.CompilerServices;

namespace Toolkit.Rpc.Infrastructure;

/// <summary>Writing consecutive raw values with one bounds check, as generated code writes neighbouring raw members.</summary>
public ref partial struct RpcWriter
{
    /// <summary>Writes 2 unmanaged values with one bounds check.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void WriteUnmanaged<T1, T2>(T1 value1, T2 value2)
        where T1 : unmanaged where T2 : unmanaged
    {
        int size = Unsafe.SizeOf<T1>() + Unsafe.SizeOf<T2>();
        ref byte destination = ref Reserve(size);
        int offset = 0;
        Put(ref destination, ref offset, value1);
        Put(ref destination, ref offset, value2);
        Advance(size);
    }

    /// <summary>Writes 3 unmanaged values with one bounds check.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void WriteUnmanaged<T1, T2, T3>(T1 value1, T2 value2, T3 value3)
        where T1 : unmanaged where T2 : unmanaged where T3 : unmanaged
    {
        int size = Unsafe.SizeOf<T1>() + Unsafe.SizeOf<T2>() + Unsafe.SizeOf<T3>();
        ref byte destination = ref Reserve(size);
        int offset = 0;
        Put(ref destination, ref offset, value1);
        Put(ref destination, ref offset, value2);
        Put(ref destination, ref offset, value3);
        Advance(size);
    }

    /// <summary>Writes 4 unmanaged values with one bounds check.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void WriteUnmanaged<T1, T2, T3, T4>(T1 value1, T2 value2, T3 value3, T4 value4)
        where T1 : unmanaged where T2 : unmanaged where T3 : unmanaged where T4 : unmanaged
    {
        int size = Unsafe.SizeOf<T1>() + Unsafe.SizeOf<T2>() + Unsafe.SizeOf<T3>() + Unsafe.SizeOf<T4>();
        ref byte destination = ref Reserve(size);
        int offset = 0;
        Put(ref destination, ref offset, value1);
        Put(ref destination, ref offset, value2);
        Put(ref destination, ref offset, value3);
        Put(ref destination, ref offset, value4);
        Advance(size);
    }

    /// <summary>Writes 5 unmanaged values with one bounds check.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void WriteUnmanaged<T1, T2, T3, T4, T5>(T1 value1, T2 value2, T3 value3, T4 value4, T5 value5)
        where T1 : unmanaged where T2 : unmanaged where T3 : unmanaged where T4 : unmanaged where T5 : unmanaged
    {
        int size = Unsafe.SizeOf<T1>() + Unsafe.SizeOf<T2>() + Unsafe.SizeOf<T3>() + Unsafe.SizeOf<T4>() + Unsafe.SizeOf<T5>();
        ref byte destination = ref Reserve(size);
        int offset = 0;
        Put(ref destination, ref offset, value1);
        Put(ref destination, ref offset, value2);
        Put(ref destination, ref offset, value3);
        Put(ref destination, ref offset, value4);
        Put(ref destination, ref offset, value5);
        Advance(size);
    }

    /// <summary>Writes 6 unmanaged values with one bounds check.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void WriteUnmanaged<T1, T2, T3, T4, T5, T6>(T1 value1, T2 value2, T3 value3, T4 value4, T5 value5, T6 value6)
        where T1 : unmanaged where T2 : unmanaged where T3 : unmanaged where T4 : unmanaged where T5 : unmanaged where T6 : unmanaged
    {
        int size = Unsafe.SizeOf<T1>() + Unsafe.SizeOf<T2>() + Unsafe.SizeOf<T3>() + Unsafe.SizeOf<T4>() + Unsafe.SizeOf<T5>() + Unsafe.SizeOf<T6>();
        ref byte destination = ref Reserve(size);
        int offset = 0;
        Put(ref destination, ref offset, value1);
        Put(ref destination, ref offset, value2);
        Put(ref destination, ref offset, value3);
        Put(ref destination, ref offset, value4);
        Put(ref destination, ref offset, value5);
        Put(ref destination, ref offset, value6);
        Advance(size);
    }

    /// <summary>Writes 7 unmanaged values with one bounds check.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void WriteUnmanaged<T1, T2, T3, T4, T5, T6, T7>(T1 value1, T2 value2, T3 value3, T4 value4, T5 value5, T6 value6, T7 value7)
        where T1 : unmanaged where T2 : unmanaged where T3 : unmanaged where T4 : unmanaged where T5 : unmanaged where T6 : unmanaged where T7 : unmanaged
    {
        int size = Unsafe.SizeOf<T1>() + Unsafe.SizeOf<T2>() + Unsafe.SizeOf<T3>() + Unsafe.SizeOf<T4>() + Unsafe.SizeOf<T5>() + Unsafe.SizeOf<T6>() + Unsafe.SizeOf<T7>();
        ref byte destination = ref Reserve(size);
        int offset = 0;
        Put(ref destination, ref offset, value1);
        Put(ref destination, ref offset, value2);
        Put(ref destination, ref offset, value3);
        Put(ref destination, ref offset, value4);
        Put(ref destination, ref offset, value5);
        Put(ref destination, ref offset, value6);
        Put(ref destination, ref offset, value7);
        Advance(size);
    }

    /// <summary>Writes 8 unmanaged values with one bounds check.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void WriteUnmanaged<T1, T2, T3, T4, T5, T6, T7, T8>(T1 value1, T2 value2, T3 value3, T4 value4, T5 value5, T6 value6, T7 value7, T8 value8)
        where T1 : unmanaged where T2 : unmanaged where T3 : unmanaged where T4 : unmanaged where T5 : unmanaged where T6 : unmanaged where T7 : unmanaged where T8 : unmanaged
    {
        int size = Unsafe.SizeOf<T1>() + Unsafe.SizeOf<T2>() + Unsafe.SizeOf<T3>() + Unsafe.SizeOf<T4>() + Unsafe.SizeOf<T5>() + Unsafe.SizeOf<T6>() + Unsafe.SizeOf<T7>() + Unsafe.SizeOf<T8>();
        ref byte destination = ref Reserve(size);
        int offset = 0;
        Put(ref destination, ref offset, value1);
        Put(ref destination, ref offset, value2);
        Put(ref destination, ref offset, value3);
        Put(ref destination, ref offset, value4);
        Put(ref destination, ref offset, value5);
        Put(ref destination, ref offset, value6);
        Put(ref destination, ref offset, value7);
        Put(ref destination, ref offset, value8);
        Advance(size);
    }

    // Writes 'value' at 'offset' of what Reserve returned; 'offset' moves past it.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Put<T>(ref byte destination, ref int offset, T value)
        where T : unmanaged
    {
        Unsafe.WriteUnaligned(ref Unsafe.Add(ref destination, offset), value);
        offset += Unsafe.SizeOf<T>();
    }
}
