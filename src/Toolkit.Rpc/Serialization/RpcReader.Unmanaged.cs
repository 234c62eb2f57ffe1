using System.Runtime.CompilerServices;

namespace Toolkit.Rpc.Infrastructure;

/// <summary>Reading consecutive raw values with one bounds check, as generated code reads neighbouring raw members.</summary>
public ref partial struct RpcReader
{
    /// <summary>Reads 2 unmanaged values with one bounds check.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void ReadUnmanaged<T1, T2>(out T1 value1, out T2 value2)
        where T1 : unmanaged where T2 : unmanaged
    {
        ref byte source = ref Take(Unsafe.SizeOf<T1>() + Unsafe.SizeOf<T2>());
        int offset = 0;
        value1 = Next<T1>(ref source, ref offset);
        value2 = Next<T2>(ref source, ref offset);
    }

    /// <summary>Reads 3 unmanaged values with one bounds check.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void ReadUnmanaged<T1, T2, T3>(out T1 value1, out T2 value2, out T3 value3)
        where T1 : unmanaged where T2 : unmanaged where T3 : unmanaged
    {
        ref byte source = ref Take(Unsafe.SizeOf<T1>() + Unsafe.SizeOf<T2>() + Unsafe.SizeOf<T3>());
        int offset = 0;
        value1 = Next<T1>(ref source, ref offset);
        value2 = Next<T2>(ref source, ref offset);
        value3 = Next<T3>(ref source, ref offset);
    }

    /// <summary>Reads 4 unmanaged values with one bounds check.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void ReadUnmanaged<T1, T2, T3, T4>(out T1 value1, out T2 value2, out T3 value3, out T4 value4)
        where T1 : unmanaged where T2 : unmanaged where T3 : unmanaged where T4 : unmanaged
    {
        ref byte source = ref Take(Unsafe.SizeOf<T1>() + Unsafe.SizeOf<T2>() + Unsafe.SizeOf<T3>() + Unsafe.SizeOf<T4>());
        int offset = 0;
        value1 = Next<T1>(ref source, ref offset);
        value2 = Next<T2>(ref source, ref offset);
        value3 = Next<T3>(ref source, ref offset);
        value4 = Next<T4>(ref source, ref offset);
    }

    /// <summary>Reads 5 unmanaged values with one bounds check.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void ReadUnmanaged<T1, T2, T3, T4, T5>(out T1 value1, out T2 value2, out T3 value3, out T4 value4, out T5 value5)
        where T1 : unmanaged where T2 : unmanaged where T3 : unmanaged where T4 : unmanaged where T5 : unmanaged
    {
        ref byte source = ref Take(Unsafe.SizeOf<T1>() + Unsafe.SizeOf<T2>() + Unsafe.SizeOf<T3>() + Unsafe.SizeOf<T4>() + Unsafe.SizeOf<T5>());
        int offset = 0;
        value1 = Next<T1>(ref source, ref offset);
        value2 = Next<T2>(ref source, ref offset);
        value3 = Next<T3>(ref source, ref offset);
        value4 = Next<T4>(ref source, ref offset);
        value5 = Next<T5>(ref source, ref offset);
    }

    /// <summary>Reads 6 unmanaged values with one bounds check.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void ReadUnmanaged<T1, T2, T3, T4, T5, T6>(out T1 value1, out T2 value2, out T3 value3, out T4 value4, out T5 value5, out T6 value6)
        where T1 : unmanaged where T2 : unmanaged where T3 : unmanaged where T4 : unmanaged where T5 : unmanaged where T6 : unmanaged
    {
        ref byte source = ref Take(Unsafe.SizeOf<T1>() + Unsafe.SizeOf<T2>() + Unsafe.SizeOf<T3>() + Unsafe.SizeOf<T4>() + Unsafe.SizeOf<T5>() + Unsafe.SizeOf<T6>());
        int offset = 0;
        value1 = Next<T1>(ref source, ref offset);
        value2 = Next<T2>(ref source, ref offset);
        value3 = Next<T3>(ref source, ref offset);
        value4 = Next<T4>(ref source, ref offset);
        value5 = Next<T5>(ref source, ref offset);
        value6 = Next<T6>(ref source, ref offset);
    }

    /// <summary>Reads 7 unmanaged values with one bounds check.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void ReadUnmanaged<T1, T2, T3, T4, T5, T6, T7>(out T1 value1, out T2 value2, out T3 value3, out T4 value4, out T5 value5, out T6 value6, out T7 value7)
        where T1 : unmanaged where T2 : unmanaged where T3 : unmanaged where T4 : unmanaged where T5 : unmanaged where T6 : unmanaged where T7 : unmanaged
    {
        ref byte source = ref Take(Unsafe.SizeOf<T1>() + Unsafe.SizeOf<T2>() + Unsafe.SizeOf<T3>() + Unsafe.SizeOf<T4>() + Unsafe.SizeOf<T5>() + Unsafe.SizeOf<T6>() + Unsafe.SizeOf<T7>());
        int offset = 0;
        value1 = Next<T1>(ref source, ref offset);
        value2 = Next<T2>(ref source, ref offset);
        value3 = Next<T3>(ref source, ref offset);
        value4 = Next<T4>(ref source, ref offset);
        value5 = Next<T5>(ref source, ref offset);
        value6 = Next<T6>(ref source, ref offset);
        value7 = Next<T7>(ref source, ref offset);
    }

    /// <summary>Reads 8 unmanaged values with one bounds check.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void ReadUnmanaged<T1, T2, T3, T4, T5, T6, T7, T8>(out T1 value1, out T2 value2, out T3 value3, out T4 value4, out T5 value5, out T6 value6, out T7 value7, out T8 value8)
        where T1 : unmanaged where T2 : unmanaged where T3 : unmanaged where T4 : unmanaged where T5 : unmanaged where T6 : unmanaged where T7 : unmanaged where T8 : unmanaged
    {
        ref byte source = ref Take(Unsafe.SizeOf<T1>() + Unsafe.SizeOf<T2>() + Unsafe.SizeOf<T3>() + Unsafe.SizeOf<T4>() + Unsafe.SizeOf<T5>() + Unsafe.SizeOf<T6>() + Unsafe.SizeOf<T7>() + Unsafe.SizeOf<T8>());
        int offset = 0;
        value1 = Next<T1>(ref source, ref offset);
        value2 = Next<T2>(ref source, ref offset);
        value3 = Next<T3>(ref source, ref offset);
        value4 = Next<T4>(ref source, ref offset);
        value5 = Next<T5>(ref source, ref offset);
        value6 = Next<T6>(ref source, ref offset);
        value7 = Next<T7>(ref source, ref offset);
        value8 = Next<T8>(ref source, ref offset);
    }

    // The value at 'offset' of what Take returned, validated; 'offset' moves past it.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static T Next<T>(ref byte source, ref int offset)
        where T : unmanaged
    {
        T value = Unsafe.ReadUnaligned<T>(ref Unsafe.Add(ref source, offset));
        offset += Unsafe.SizeOf<T>();
        RawValidation.Validate(value);
        return value;
    }
}
