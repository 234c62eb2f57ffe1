using System.Buffers;
using System.Runtime.CompilerServices;

namespace Toolkit.Rpc.Serialization;

/// <summary>A generated serializer for <typeparamref name="T"/>, registered when the assembly that declares it loads.</summary>
/// <typeparam name="T">The serialized type.</typeparam>
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

/// <summary>Serializes and deserializes any type that the generator emitted a serializer for.</summary>
public static class RpcSerializer
{
    /// <summary>Writes <paramref name="value"/> to <paramref name="output"/>.</summary>
    public static void Serialize<T>(IBufferWriter<byte> output, T value, RpcSerializationContext? context = null) =>
        Get<T>().Serialize(output, value, context);

    /// <summary>Returns <paramref name="value"/>'s bytes in a new array.</summary>
    public static byte[] Serialize<T>(T value, RpcSerializationContext? context = null)
    {
        ArrayBufferWriter<byte> output = new();
        Serialize(output, value, context);
        return output.WrittenSpan.ToArray();
    }

    /// <summary>Reads a <typeparamref name="T"/> that takes exactly all of <paramref name="data"/>.</summary>
    public static T Deserialize<T>(ReadOnlySpan<byte> data, RpcSerializationContext? context = null) =>
        Get<T>().Deserialize(data, context);

    /// <summary>Reads a <typeparamref name="T"/> that takes exactly all of <paramref name="data"/>.</summary>
    public static T Deserialize<T>(in ReadOnlySequence<byte> data, RpcSerializationContext? context = null) =>
        Get<T>().Deserialize(data, context);

    /// <summary>Returns the serializer registered for <typeparamref name="T"/>, or throws saying how to get one.</summary>
    public static RpcSerializer<T> Get<T>()
    {
        if (RpcSerializer<T>.Registered is { } serializer)
        {
            return serializer;
        }

        // Registration runs in the declaring module's initializer, which has not run if nothing in that module
        // has executed yet (only its types were touched).
        RuntimeHelpers.RunModuleConstructor(typeof(T).Module.ModuleHandle);
        return RpcSerializer<T>.Registered ?? throw new RpcSerializationException(
            $"No serializer was generated for {typeof(T).FullName}. Serializers are generated for every type reachable from an " +
            "[RpcGateway] interface in a project that references the Toolkit generator.");
    }
}
