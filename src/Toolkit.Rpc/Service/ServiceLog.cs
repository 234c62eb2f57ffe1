using Microsoft.Extensions.Logging;

namespace Toolkit.Rpc;

/// <summary>What the service itself logs (event ids 300–399; docs/observability.md lists every event), under category <c>Toolkit.Rpc.Service</c>.</summary>
internal static partial class ServiceLog
{
    [LoggerMessage(301, LogLevel.Information, "Service {NodeId} is stopping: it refuses new calls from other services and lets running calls finish.")]
    public static partial void Stopping(ILogger logger, string nodeId);

    [LoggerMessage(302, LogLevel.Warning, "Service {NodeId} stopped waiting for running calls; the calls still running on {Endpoints} fail.")]
    public static partial void DrainTimedOut(ILogger logger, string nodeId, string endpoints);

    [LoggerMessage(303, LogLevel.Debug, "Service {NodeId} stopped.")]
    public static partial void Stopped(ILogger logger, string nodeId);

    [LoggerMessage(304, LogLevel.Error, "Endpoint '{Endpoint}' of service {NodeId} failed to stop cleanly.")]
    public static partial void EndpointStopFailed(ILogger logger, Exception exception, string endpoint, string nodeId);
}
