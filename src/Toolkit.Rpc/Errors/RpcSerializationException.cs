namespace Toolkit.Rpc;

/// <summary>A value could not be written or read: malformed or truncated data, a type without a serializer, a cycle.</summary>
public sealed class RpcSerializationException : RpcException
{
    /// <summary>Creates the error.</summary>
    public RpcSerializationException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the error for the call at <paramref name="site"/>.</summary>
    public RpcSerializationException(RpcCallSite site, string reason, Exception? innerException = null)
        : base(site, reason, innerException)
    {
    }
}
