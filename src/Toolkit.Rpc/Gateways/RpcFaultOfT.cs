using System.ComponentModel;

namespace Toolkit.Rpc.Infrastructure;

/// <summary>A declared fault of type <typeparamref name="TException"/>; generated code creates it.</summary>
/// <typeparam name="TException">The exception type.</typeparam>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class RpcFault<TException> : RpcFault
    where TException : Exception
{
    /// <summary>Creates the fault; <paramref name="name"/> is the type's name as contracts write it.</summary>
    public RpcFault(string name)
        : base(typeof(TException), name)
    {
    }

    private static RpcSerializer<TException> Serializer => RpcSerializer<TException>.Registered
        ?? throw new RpcSerializationException($"No serializer was generated for the fault type {typeof(TException).FullName}.");

    internal override void Write(ref RpcWriter writer, Exception exception) => Serializer.Write(ref writer, (TException)exception);

    private protected override Exception ReadException(ref RpcReader reader) => Serializer.Read(ref reader);
}
