namespace Toolkit.Rpc;

/// <summary>A call got no reply within its timeout.</summary>
public sealed class RpcTimeoutException : RpcException
{
    /// <summary>Creates the error for a call at <paramref name="site"/> that waited <paramref name="timeout"/>.</summary>
    public RpcTimeoutException(RpcCallSite site, TimeSpan timeout)
        : base(site, $"no reply within the timeout of {timeout.TotalMilliseconds:0.###} ms")
    {
        Timeout = timeout;
    }

    /// <summary>Creates a timeout error that is not tied to a gateway call (e.g. <c>CallAsync</c> on an endpoint).</summary>
    public RpcTimeoutException(string message, TimeSpan timeout)
        : base(message)
    {
        Timeout = timeout;
    }

    /// <summary>How long the call waited.</summary>
    public TimeSpan Timeout { get; }
}
