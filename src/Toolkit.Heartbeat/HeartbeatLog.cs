using Microsoft.Extensions.Logging;

namespace Toolkit.Heartbeat;

internal static partial class HeartbeatLog
{
    [LoggerMessage(4001, LogLevel.Warning, "Heartbeat manager {Manager}: target {Target} timed out after {SilenceMs:0} ms without a heartbeat.")]
    public static partial void TimedOut(ILogger logger, string manager, string target, double silenceMs);

    [LoggerMessage(4002, LogLevel.Warning, "Heartbeat manager {Manager}: target {Target} is unreachable: {Reason}.")]
    public static partial void Unreachable(ILogger logger, string manager, string target, string reason);

    [LoggerMessage(4003, LogLevel.Warning, "Heartbeat manager {Manager} was stalled for {StallMs:0} ms (its timer ran {LateMs:0} ms late); its targets' deadlines move by that much.")]
    public static partial void Stalled(ILogger logger, string manager, double stallMs, double lateMs);

    [LoggerMessage(4004, LogLevel.Error, "Heartbeat manager {Manager}: the listener's {Callback} threw for target {Target}.")]
    public static partial void ListenerFailed(ILogger logger, Exception exception, string manager, string callback, string target);

    [LoggerMessage(4005, LogLevel.Debug, "Heartbeat manager {Manager}: heartbeat call to {Target} failed ({Failures} in a row): {Error}")]
    public static partial void CallFailed(ILogger logger, string manager, string target, int failures, string error);
}
