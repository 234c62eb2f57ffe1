using Toolkit.Rpc;

namespace OpenTelemetry.Trace;

/// <summary>Adds Toolkit RPC's spans to an OpenTelemetry tracer provider.</summary>
public static class ToolkitRpcTracerProviderBuilderExtensions
{
    /// <summary>
    /// Records the client and server spans of Toolkit RPC calls (source <see cref="RpcTelemetry.ActivitySourceName"/>):
    /// one per call on each side, named <c>{gateway}/{method}</c>, the server's a child of the caller's across processes.
    /// </summary>
    /// <example><c>builder.Services.AddOpenTelemetry().WithTracing(tracing => tracing.AddToolkitRpcInstrumentation().AddConsoleExporter());</c></example>
    public static TracerProviderBuilder AddToolkitRpcInstrumentation(this TracerProviderBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.AddSource(RpcTelemetry.ActivitySourceName);
    }
}
