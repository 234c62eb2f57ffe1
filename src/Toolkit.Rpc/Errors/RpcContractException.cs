namespace Toolkit.Rpc;

/// <summary>
/// The two sides of a call have incompatible contracts for its gateway: a member was removed, reordered or retyped, an
/// enum renumbered, a method's parameters changed. The message names the type or method, the member, and which service
/// has which version. Compatible differences (members appended at the end, new methods, union cases or enum members)
/// never raise it.
/// </summary>
public sealed class RpcContractException : RpcException
{
    /// <summary>Creates the error for the call at <paramref name="site"/>.</summary>
    public RpcContractException(RpcCallSite site, string reason)
        : base(site, reason)
    {
    }
}
