namespace Toolkit.Rpc;

/// <summary>
/// The names under which Toolkit RPC reports metrics and traces, for <c>MeterListener</c>, <c>ActivityListener</c>
/// and OpenTelemetry (<c>AddMeter(RpcTelemetry.MeterName)</c>, <c>AddSource(RpcTelemetry.ActivitySourceName)</c>, or the
/// Toolkit.Rpc.OpenTelemetry package's <c>AddToolkitRpcInstrumentation()</c>). See docs/observability.md.
/// </summary>
public static class RpcTelemetry
{
    /// <summary>The name of every service's <see cref="System.Diagnostics.Metrics.Meter"/>: <c>Toolkit.Rpc</c>.</summary>
    public const string MeterName = "Toolkit.Rpc";

    /// <summary>The name of the <see cref="System.Diagnostics.ActivitySource"/> of client and server spans: <c>Toolkit.Rpc</c>.</summary>
    public const string ActivitySourceName = "Toolkit.Rpc";
}
