namespace Toolkit.Rpc;

public abstract partial class RpcEndpoint
{
    /// <summary>The service that runs the endpoint: to get gateways to other endpoints, connect to other services.</summary>
    /// <exception cref="InvalidOperationException">The endpoint has not been started.</exception>
    public RpcService Service => (RpcService)(RuntimeOrNull ?? throw NotStarted()).SerializationContext;
}
