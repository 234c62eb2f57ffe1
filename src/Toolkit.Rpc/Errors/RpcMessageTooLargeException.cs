namespace Toolkit.Rpc;

/// <summary>A call or its reply is larger than the frame limit (<see cref="RpcTransportOptions.MaxFrameSize"/>).</summary>
public sealed class RpcMessageTooLargeException : RpcException
{
    /// <summary>Creates the error for the call at <paramref name="site"/>.</summary>
    public RpcMessageTooLargeException(RpcCallSite site, string what, long size, int limit)
        : this(site, size, limit, $"the {what} is {size:N0} bytes, over the frame limit of {limit:N0} bytes")
    {
    }

    private RpcMessageTooLargeException(RpcCallSite site, long size, int limit, string reason)
        : base(site, reason)
    {
        Size = size;
        Limit = limit;
    }

    /// <summary>The message's size in bytes; for a message whose encoding stopped at the limit, the bytes written until then.</summary>
    public long Size { get; }

    /// <summary>The limit in bytes.</summary>
    public int Limit { get; }

    /// <summary>The error for a message whose encoding stopped once it passed the limit, after <paramref name="written"/> bytes.</summary>
    internal static RpcMessageTooLargeException Stopped(RpcCallSite site, string what, long written, int limit) =>
        new(site, written, limit, $"the {what} is over the frame limit of {limit:N0} bytes: its encoding stopped after {written:N0} bytes");
}
