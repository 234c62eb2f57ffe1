namespace Toolkit.Rpc.Hosting;

/// <summary>The endpoints registered with <see cref="ToolkitRpcBuilder.AddEndpoint{TEndpoint}(string)"/>, in registration order.</summary>
internal sealed class RpcEndpointRegistrations
{
    public List<RpcEndpointRegistration> All { get; } = [];
}
