namespace Toolkit.Rpc;

/// <summary>No endpoint of the requested name is running, or it does not implement the requested gateway.</summary>
public sealed class RpcEndpointNotFoundException : RpcException
{
    /// <summary>Creates the error with a message that names the endpoint and the gateway.</summary>
    public RpcEndpointNotFoundException(string message)
        : base(message)
    {
    }
}
