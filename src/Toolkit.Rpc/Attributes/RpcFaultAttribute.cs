namespace Toolkit.Rpc;

/// <summary>
/// Declares an exception type that a gateway method (or, on the interface, every method of the gateway) may throw as
/// part of its contract. When the endpoint throws it, the caller gets the same type back — its members serialized like
/// a message's, the remote stack attached — so that it can <c>catch</c> it by type. Other exceptions reach the caller
/// as <see cref="RpcRemoteException"/>.
/// </summary>
/// <remarks>
/// The type must derive from <see cref="Exception"/> and be constructible from its public members as messages are:
/// a constructor whose parameters match them by name and type (a <c>string message</c> parameter takes the
/// exception's message). The exception's own members beyond <see cref="Exception.Message"/> (stack, data, inner
/// exception) do not travel. The declared types are part of the gateway's contract, and the analyzers check them.
/// </remarks>
[AttributeUsage(AttributeTargets.Interface | AttributeTargets.Method, AllowMultiple = true, Inherited = false)]
public sealed class RpcFaultAttribute : Attribute
{
    /// <summary>Declares <paramref name="exceptionType"/> as a fault of the method or gateway.</summary>
    public RpcFaultAttribute(Type exceptionType) => ExceptionType = exceptionType ?? throw new ArgumentNullException(nameof(exceptionType));

    /// <summary>The declared exception type.</summary>
    public Type ExceptionType { get; }
}
