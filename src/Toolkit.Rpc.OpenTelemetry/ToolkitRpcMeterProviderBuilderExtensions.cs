using Toolkit.Rpc;

namespace OpenTelemetry.Metrics;

/// <summary>Adds Toolkit RPC's metrics to an OpenTelemetry meter provider.</summary>
public static class ToolkitRpcMeterProviderBuilderExtensions
{
    /// <summary>
    /// Collects Toolkit RPC's metrics (meter <see cref="RpcTelemetry.MeterName"/>): call durations, counts and sizes on
    /// both sides, pending calls, open connections and mailbox depths; docs/observability.md lists them.
    /// </summary>
    /// <example><c>builder.Services.AddOpenTelemetry().WithMetrics(metrics => metrics.AddToolkitRpcInstrumentation().AddConsoleExporter());</c></example>
    public static MeterProviderBuilder AddToolkitRpcInstrumentation(this MeterProviderBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.AddMeter(RpcTelemetry.MeterName);
    }
}
