using System.Buffers;
using System.Runtime.CompilerServices;

namespace Toolkit.Rpc;

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
