namespace Toolkit.Rpc;

/// <summary>Names the call that failed: gateway, method, endpoint and address, for error messages that say where.</summary>
/// <param name="Gateway">The gateway interface's name.</param>
/// <param name="Method">The method's name.</param>
/// <param name="Endpoint">The target endpoint's name.</param>
/// <param name="Address">The target's address (<c>local</c> for an endpoint of the caller's own service).</param>
public readonly record struct RpcCallSite(string Gateway, string Method, string Endpoint, string Address)
{
    /// <summary>A phrase such as <c>IFoo.Bar on endpoint 'x' at local</c>.</summary>
    public override string ToString() => $"{Gateway}.{Method} on endpoint '{Endpoint}' at {Address}";
}
