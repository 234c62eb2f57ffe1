using Microsoft.Extensions.Logging;

namespace Toolkit.Rpc;

internal static partial class EndpointLog
{
    [LoggerMessage(1, LogLevel.Error, "Endpoint '{Endpoint}': a continuation or callback on the main thread threw.")]
    public static partial void UnhandledException(ILogger logger, Exception exception, string endpoint);

    [LoggerMessage(2, LogLevel.Warning, "One-way call {Gateway}.{Method} on endpoint '{Endpoint}' failed.")]
    public static partial void OneWayFailed(ILogger logger, Exception exception, string gateway, string method, string endpoint);

    [LoggerMessage(3, LogLevel.Debug, "{Count} one-way call(s) {Gateway}.{Method} to endpoint '{Endpoint}' dropped: the endpoint is {State}.")]
    public static partial void OneWayDropped(ILogger logger, int count, string gateway, string method, string endpoint, RpcEndpointState state);

    [LoggerMessage(4, LogLevel.Information, "Endpoint '{Endpoint}' ({Type}) started.")]
    public static partial void Started(ILogger logger, string endpoint, string type);

    [LoggerMessage(5, LogLevel.Information, "Endpoint '{Endpoint}' stopped.")]
    public static partial void Stopped(ILogger logger, string endpoint);

    [LoggerMessage(6, LogLevel.Error, "Scheduled work on endpoint '{Endpoint}' threw.")]
    public static partial void ScheduledRunFailed(ILogger logger, Exception exception, string endpoint);
}
