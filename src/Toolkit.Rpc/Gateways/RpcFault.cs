using System.Buffers;
using System.ComponentModel;
using System.Runtime.ExceptionServices;

namespace Toolkit.Rpc.Infrastructure;

/// <summary>
/// An exception type that a gateway method declares with <see cref="RpcFaultAttribute"/>: thrown by the endpoint, it
/// travels with its members and is rethrown on the caller as the same type, the remote stack attached.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public abstract class RpcFault
{
    private protected RpcFault(Type exceptionType, string name)
    {
        ExceptionType = exceptionType;
        Name = name;
    }

    /// <summary>The declared exception type.</summary>
    public Type ExceptionType { get; }

    /// <summary>The type's name as contracts write it, which identifies the fault on the wire.</summary>
    public string Name { get; }

    /// <summary>Writes the members of <paramref name="exception"/>, which is an <see cref="ExceptionType"/>.</summary>
    internal abstract void Write(ref RpcWriter writer, Exception exception);

    /// <summary>Reads an exception written by <see cref="Write"/> and attaches <paramref name="remoteStackTrace"/> to it.</summary>
    internal Exception Read(ref RpcReader reader, string? remoteStackTrace)
    {
        Exception exception = ReadException(ref reader);
        return remoteStackTrace is null ? exception : ExceptionDispatchInfo.SetRemoteStackTrace(exception, remoteStackTrace);
    }

    /// <summary>
    /// Writes <paramref name="exception"/> and reads it back, as a call that crosses the wire would
    /// (<see cref="RpcServiceOptions.SerializeLocalCalls"/>).
    /// </summary>
    internal Exception RoundTrip(Exception exception, RpcSerializationContext? context)
    {
        ArrayBufferWriter<byte> buffer = new();
        RpcWriter writer = new(buffer, context);
        Write(ref writer, exception);
        writer.Flush();
        RpcReader reader = new(buffer.WrittenSpan, context);
        Exception copy = Read(ref reader, exception.StackTrace);
        reader.EnsureFullyConsumed();
        return copy;
    }

    private protected abstract Exception ReadException(ref RpcReader reader);
}
