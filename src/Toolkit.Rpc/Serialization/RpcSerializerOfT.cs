using System.Buffers;
using System.ComponentModel;

namespace Toolkit.Rpc.Infrastructure;

/// <summary>A generated serializer for <typeparamref name="T"/>, registered when the assembly that declares it loads.</summary>
/// <typeparam name="T">The serialized type.</typeparam>
[EditorBrowsable(EditorBrowsableState.Never)]
public abstract class RpcSerializer<T>
{
    private static RpcSerializer<T>? s_registered;

    /// <summary>The registered serializer, or null when none was generated for <typeparamref name="T"/>.</summary>
    public static RpcSerializer<T>? Registered => s_registered;

    /// <summary>Registers <paramref name="serializer"/> unless one is registered already (several assemblies may generate one).</summary>
    public static void Register(RpcSerializer<T> serializer) =>
        Interlocked.CompareExchange(ref s_registered, serializer ?? throw new ArgumentNullException(nameof(serializer)), null);

    /// <summary>Creates the serializer.</summary>
    /// <param name="sizeHint">
    /// How many bytes to ask the output for up front: the exact size for types whose encoding has a fixed size,
    /// otherwise a guess; writing more simply asks again.
    /// </param>
    protected RpcSerializer(int sizeHint = 256)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(sizeHint);
        SizeHint = sizeHint;
    }

    /// <summary>How many bytes <see cref="Serialize"/> asks the output for up front.</summary>
    public int SizeHint { get; }

    /// <summary>Writes <paramref name="value"/>.</summary>
    public abstract void Write(ref RpcWriter writer, T value);

    /// <summary>Reads a value.</summary>
    public abstract T Read(ref RpcReader reader);

    /// <summary>
    /// Writes <paramref name="value"/> to <paramref name="output"/>. Keeping the serializer (from
    /// <see cref="Registered"/> or <see cref="RpcSerializer.Get{T}"/>) saves the lookup that
    /// <see cref="RpcSerializer.Serialize{T}(IBufferWriter{byte}, T, RpcSerializationContext?)"/> makes per call.
    /// </summary>
    public void Serialize(IBufferWriter<byte> output, T value, RpcSerializationContext? context = null)
    {
        RpcWriter writer = new(output, SizeHint, context);
        Write(ref writer, value);
        writer.Flush();
    }

    /// <summary>Reads a <typeparamref name="T"/> that takes exactly all of <paramref name="data"/>.</summary>
    public T Deserialize(ReadOnlySpan<byte> data, RpcSerializationContext? context = null)
    {
        RpcReader reader = new(data, context);
        T value = Read(ref reader);
        reader.EnsureFullyConsumed();
        return value;
    }

    /// <summary>Reads a <typeparamref name="T"/> that takes exactly all of <paramref name="data"/>.</summary>
    public T Deserialize(in ReadOnlySequence<byte> data, RpcSerializationContext? context = null)
    {
        RpcReader reader = new(data, context);
        T value = Read(ref reader);
        reader.EnsureFullyConsumed();
        return value;
    }
}
