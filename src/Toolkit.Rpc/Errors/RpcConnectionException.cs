namespace Toolkit.Rpc;

/// <summary>
/// A connection to another service could not be made, was refused in its handshake (protocol version,
/// authentication, contract mismatch), or closed while calls were pending on it.
/// </summary>
public sealed class RpcConnectionException : RpcException
{
    /// <summary>Creates an error about the connection to <paramref name="address"/>.</summary>
    public RpcConnectionException(string address, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Address = address;
    }

    /// <summary>Creates the error for the call at <paramref name="site"/>.</summary>
    public RpcConnectionException(RpcCallSite site, string reason, Exception? innerException = null)
        : base(site, reason, innerException)
    {
        Address = site.Address;
    }

    /// <summary>The peer's address.</summary>
    public string Address { get; }
}
