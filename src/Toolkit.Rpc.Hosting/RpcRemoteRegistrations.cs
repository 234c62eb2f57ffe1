namespace Toolkit.Rpc.Hosting;

/// <summary>The remote gateways registered, in registration order.</summary>
internal sealed class RpcRemoteRegistrations
{
    public List<RpcRemoteRegistration> All { get; } = [];
}
