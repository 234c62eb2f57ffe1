namespace Toolkit.Rpc;

/// <summary>
/// An endpoint method threw. Carries the original exception's type name, message and stack as text, the same
/// for local and remote calls; in-process, <see cref="Exception.InnerException"/> is the original as well.
/// </summary>
public sealed class RpcRemoteException : RpcException
{
    /// <summary>Creates the error that reports <paramref name="remoteType"/> thrown at <paramref name="site"/>.</summary>
    public RpcRemoteException(RpcCallSite site, string remoteType, string remoteMessage, string? remoteStackTrace, Exception? original = null)
        : base(site, $"the endpoint threw {remoteType}: {remoteMessage}", original)
    {
        RemoteType = remoteType;
        RemoteMessage = remoteMessage;
        RemoteStackTrace = remoteStackTrace;
    }

    /// <summary>The full name of the exception type the endpoint threw.</summary>
    public string RemoteType { get; }

    /// <summary>The message of the exception the endpoint threw.</summary>
    public string RemoteMessage { get; }

    /// <summary>The stack trace where the endpoint threw, as text.</summary>
    public string? RemoteStackTrace { get; }

    /// <inheritdoc />
    public override string ToString() => RemoteStackTrace is null
        ? base.ToString()
        : $"{base.ToString()}{Environment.NewLine}--- Remote stack trace ({RemoteType}) ---{Environment.NewLine}{RemoteStackTrace}";
}
