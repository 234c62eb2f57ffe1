using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Toolkit.Rpc.Hosting;

/// <summary>Registers the Toolkit RPC health check.</summary>
public static class ToolkitRpcHealthChecksBuilderExtensions
{
    /// <summary>
    /// Adds a health check of the Toolkit RPC service that <c>AddToolkitRpc</c> registered: listener, endpoints, and the
    /// remote gateways added with <see cref="ToolkitRpcBuilder.AddRemoteGateway{TGateway}(string)"/>.
    /// </summary>
    public static IHealthChecksBuilder AddToolkitRpc(this IHealthChecksBuilder builder, string name = "toolkit-rpc", IEnumerable<string>? tags = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.Add(new HealthCheckRegistration(
            name,
            services => ActivatorUtilities.CreateInstance<RpcHealthCheck>(services),
            failureStatus: null,
            tags));
    }
}
