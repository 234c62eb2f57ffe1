namespace Toolkit.Rpc;

/// <summary>A call or its reply is larger than the frame limit (<see cref="Transport.RpcTransportOptions.MaxFrameSize"/>).</summary>
public sealed class RpcMessageTooLargeException : RpcException
{
    /// <summary>Creates the error for the call at <paramref name="site"/>.</summary>
    public RpcMessageTooLargeException(RpcCallSite site, string what, long size, int limit)
        : base(site, $"the {what} is {size:N0} bytes, over the frame limit of {limit:N0} bytes")
    {
        Size = size;
        Limit = limit;
    }

    /// <summary>The message's size in bytes.</summary>
    public long Size { get; }

    /// <summary>The limit in bytes.</summary>
    public int Limit { get; }
}
