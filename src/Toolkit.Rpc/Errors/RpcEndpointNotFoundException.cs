namespace Toolkit.Rpc;

/// <summary>No endpoint of the requested name is running, or it does not implement the requested gateway.</summary>
public sealed class RpcEndpointNotFoundException : RpcException
{
    /// <summary>Creates the error with a message that names the endpoint and the gateway.</summary>
    public RpcEndpointNotFoundException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the error for the call at <paramref name="site"/>, which the peer could not route; the message is prefixed with it.</summary>
    public RpcEndpointNotFoundException(RpcCallSite site, string reason)
        : base(site, reason)
    {
    }
}
