using System.Runtime.CompilerServices;

namespace Toolkit.Rpc.Serialization;

/// <summary>Refuses raw values that no instance of their type has: a <c>bool</c> of 2, a <c>DateTime</c> past its maximum, invalid <c>decimal</c> flags.</summary>
internal static class RawValidation
{
    // The typeof checks fold away per instantiation, so plain numbers pay nothing.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Validate<T>(T value)
        where T : unmanaged
    {
        if (typeof(T) == typeof(bool))
        {
            if (Unsafe.As<T, byte>(ref value) > 1)
            {
                ThrowHelper.ThrowMalformed($"a bool has the byte {Unsafe.As<T, byte>(ref value)}; only 0 and 1 are valid");
            }
        }
        else if (typeof(T) == typeof(DateTime))
        {
            ValidateDateTime(Unsafe.As<T, ulong>(ref value));
        }
        else if (typeof(T) == typeof(decimal))
        {
            ValidateDecimal(Unsafe.As<T, decimal>(ref value));
        }
        else if (typeof(T) == typeof(DateOnly))
        {
            // DateOnly is a day number from 0001-01-01.
            if ((uint)Unsafe.As<T, int>(ref value) > (uint)DateOnly.MaxValue.DayNumber)
            {
                ThrowHelper.ThrowMalformed($"a DateOnly has the day number {Unsafe.As<T, int>(ref value)}, out of range");
            }
        }
        else if (typeof(T) == typeof(TimeOnly))
        {
            // TimeOnly is ticks since midnight.
            if ((ulong)Unsafe.As<T, long>(ref value) >= TimeSpan.TicksPerDay)
            {
                ThrowHelper.ThrowMalformed($"a TimeOnly has {Unsafe.As<T, long>(ref value)} ticks, beyond one day");
            }
        }
    }


    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ValidateDateTime(ulong data)
    {
        // DateTime stores ticks in the low 62 bits and the kind in the top 2.
        const ulong TicksMask = 0x3FFFFFFFFFFFFFFF;
        ulong ticks = data & TicksMask;
        if (ticks > (ulong)DateTime.MaxValue.Ticks)
        {
            ThrowHelper.ThrowMalformed($"a DateTime has {ticks} ticks, beyond DateTime.MaxValue");
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ValidateDecimal(decimal value)
    {
        Span<int> bits = stackalloc int[4];
        decimal.GetBits(value, bits);
        int flags = bits[3];
        // Valid flags: the sign in bit 31, the scale (0–28) in bits 16–23, every other bit zero.
        if ((flags & 0x7F00FFFF) != 0 || ((flags >> 16) & 0xFF) > 28)
        {
            ThrowHelper.ThrowMalformed($"a decimal has the invalid flags 0x{flags:X8}");
        }
    }
}
