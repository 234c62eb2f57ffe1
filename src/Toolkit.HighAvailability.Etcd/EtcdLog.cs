using Microsoft.Extensions.Logging;

namespace Toolkit.HighAvailability.Etcd;

internal static partial class EtcdLog
{
    [LoggerMessage(5001, LogLevel.Information, "etcd HA: lease {LeaseId:x16} granted (TTL {TtlSeconds} s).")]
    public static partial void LeaseGranted(ILogger logger, long leaseId, long ttlSeconds);

    [LoggerMessage(5002, LogLevel.Warning, "etcd HA: lease {LeaseId:x16} lost: {Reason}. Every leadership of this process ends; campaigning again with a new lease.")]
    public static partial void SessionLost(ILogger logger, long leaseId, string reason);

    [LoggerMessage(5003, LogLevel.Debug, "etcd HA: renewing lease {LeaseId:x16} failed: {Error}")]
    public static partial void RenewFailed(ILogger logger, long leaseId, string error);

    [LoggerMessage(5004, LogLevel.Warning, "etcd HA: {Operation} failed, retrying in {RetryMs:0} ms: {Error}")]
    public static partial void Retrying(ILogger logger, string operation, double retryMs, string error);

    [LoggerMessage(5005, LogLevel.Information, "etcd HA: component '{Component}' granted to this process in term {Epoch}.")]
    public static partial void Granted(ILogger logger, string component, long epoch);

    [LoggerMessage(5006, LogLevel.Information, "etcd HA: component '{Component}' term {Epoch} ended in this process: {Reason}.")]
    public static partial void Revoked(ILogger logger, string component, long epoch, string reason);

    [LoggerMessage(5007, LogLevel.Warning, "etcd HA: the watch resumes from revision {Revision} after: {Error}")]
    public static partial void WatchResumed(ILogger logger, long revision, string error);

    [LoggerMessage(5008, LogLevel.Error, "etcd HA: a contender's or listener's callback threw.")]
    public static partial void CallbackFailed(ILogger logger, Exception exception);
}
