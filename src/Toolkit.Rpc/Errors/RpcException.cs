namespace Toolkit.Rpc;

/// <summary>The base of every error a Toolkit call reports; names the gateway, method, endpoint and address when known.</summary>
public class RpcException : Exception
{
    /// <summary>Creates an error that is not tied to one call.</summary>
    public RpcException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }

    /// <summary>Creates an error for the call at <paramref name="site"/>; the message is prefixed with it.</summary>
    public RpcException(RpcCallSite site, string reason, Exception? innerException = null)
        : base($"Call to {site} failed: {reason}", innerException)
    {
        Site = site;
    }

    /// <summary>The call that failed, when the error belongs to one.</summary>
    public RpcCallSite? Site { get; }
}
