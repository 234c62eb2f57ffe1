namespace Toolkit.Rpc;

/// <summary>
/// On a <see cref="TimeSpan"/> parameter (the last, or before a trailing <see cref="CancellationToken"/>): the
/// call's timeout, which is not sent as an argument. On a gateway method: that method's default timeout in
/// milliseconds, overriding the service-wide default.
/// </summary>
[AttributeUsage(AttributeTargets.Parameter | AttributeTargets.Method, Inherited = false)]
public sealed class RpcTimeoutAttribute : Attribute
{
    /// <summary>Marks a <see cref="TimeSpan"/> parameter as the call's timeout.</summary>
    public RpcTimeoutAttribute()
    {
    }

    /// <summary>Sets a gateway method's default timeout.</summary>
    public RpcTimeoutAttribute(int milliseconds)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(milliseconds);
        Milliseconds = milliseconds;
    }

    /// <summary>The method's default timeout in milliseconds, or 0 on a parameter.</summary>
    public int Milliseconds { get; }
}
