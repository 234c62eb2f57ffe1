using Microsoft.Extensions.Logging;

namespace Toolkit.Blob;

/// <summary>The blob service's log messages; event ids 4050–4099 (the heartbeat service has 4001–4005).</summary>
internal static partial class BlobLog
{
    [LoggerMessage(4050, LogLevel.Information, "Blob server started: transfers on {Address}, {Blobs} blobs in {Directory}, {Dropped} dropped as corrupted or stray, HA store: {HaStore}.")]
    public static partial void Started(ILogger logger, string address, string directory, int blobs, int dropped, string haStore);

    [LoggerMessage(4051, LogLevel.Information, "Blob server on {Address} stopped.")]
    public static partial void Stopped(ILogger logger, string address);

    [LoggerMessage(4052, LogLevel.Error, "The {Blob} is corrupted: its content hashes to {Actual}; the file was dropped.")]
    public static partial void Corrupted(ILogger logger, string blob, string actual);

    [LoggerMessage(4053, LogLevel.Warning, "The blob server's directory held {File}, which is not a blob; it was deleted.")]
    public static partial void StrayFile(ILogger logger, string file);

    [LoggerMessage(4054, LogLevel.Warning, "The file of the {Blob} vanished from the blob server's directory.")]
    public static partial void FileVanished(ILogger logger, string blob);

    [LoggerMessage(4055, LogLevel.Information, "Restored the {Blob} from the HA store ({HaStore}).")]
    public static partial void Restored(ILogger logger, string blob, string haStore);

    [LoggerMessage(4056, LogLevel.Debug, "The transient blob {Key} was read and confirmed; deleted.")]
    public static partial void TransientRead(ILogger logger, string key);

    [LoggerMessage(4057, LogLevel.Information, "The {Blob} expired and was deleted.")]
    public static partial void Expired(ILogger logger, string blob);

    [LoggerMessage(4058, LogLevel.Warning, "Blob server busy: refused a transfer from {Peer} ({Running} running, {Waiting} waiting).")]
    public static partial void Busy(ILogger logger, string peer, int running, int waiting);

    [LoggerMessage(4059, LogLevel.Warning, "Blob transfer with {Peer} failed: {Reason}")]
    public static partial void TransferFailed(ILogger logger, string peer, string reason);

    [LoggerMessage(4060, LogLevel.Error, "Blob transfer with {Peer} failed unexpectedly.")]
    public static partial void TransferCrashed(ILogger logger, Exception exception, string peer);

    [LoggerMessage(4061, LogLevel.Debug, "Stored the {Blob} ({Length} B) from {Peer}.")]
    public static partial void Stored(ILogger logger, string blob, long length, string peer);

    [LoggerMessage(4062, LogLevel.Error, "The blob server's cleanup failed.")]
    public static partial void CleanupFailed(ILogger logger, Exception exception);

    [LoggerMessage(4070, LogLevel.Information, "Blob transfer failed ({Error}), attempt {Attempt} of {MaxAttempts}; retrying in {DelayMs:0} ms: {Message}")]
    public static partial void Retrying(ILogger logger, BlobError error, int attempt, int maxAttempts, double delayMs, string message);

    [LoggerMessage(4071, LogLevel.Information, "Resuming the download of {Key} at byte {Offset}.")]
    public static partial void Resuming(ILogger logger, string key, long offset);

    [LoggerMessage(4080, LogLevel.Debug, "Blob cache evicted {Key} of job {Job} ({Length} B): {Reason}.")]
    public static partial void Evicted(ILogger logger, string key, string job, long length, string reason);

    [LoggerMessage(4081, LogLevel.Warning, "Blob cache could not release its reference on {Key} of job {Job}: {Message}")]
    public static partial void ReleaseFailed(ILogger logger, string key, string job, string message);

    [LoggerMessage(4082, LogLevel.Error, "The blob cache's cleanup failed.")]
    public static partial void CacheCleanupFailed(ILogger logger, Exception exception);
}
