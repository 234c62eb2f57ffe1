using Microsoft.Extensions.DependencyInjection;
using Toolkit.Rpc.Hosting;

namespace Toolkit.HighAvailability;

/// <summary>Registers the process's high-availability services with a host's Toolkit RPC service.</summary>
public static class HighAvailabilityBuilderExtensions
{
    /// <summary>
    /// Makes <see cref="IHighAvailabilityServices"/> injectable into endpoints, from the provider
    /// <paramref name="configure"/> chooses (embedded by default); the host disposes it when it stops.
    /// </summary>
    /// <example><c>builder.Services.AddToolkitRpc(config).AddEndpoint&lt;Dispatcher&gt;("dispatcher").AddHighAvailability(ha =&gt; ha.UseEtcd(etcd =&gt; etcd.Endpoints = "http://127.0.0.1:2379"));</c></example>
    /// <exception cref="InvalidOperationException">High availability was added already.</exception>
    public static ToolkitRpcBuilder AddHighAvailability(this ToolkitRpcBuilder builder, Action<HighAvailabilityBuilder>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        if (builder.Services.Any(descriptor => descriptor.ServiceType == typeof(IHighAvailabilityServices)))
        {
            throw new InvalidOperationException("AddHighAvailability was called twice: a process has one set of HA services; choose its provider in one call.");
        }

        HighAvailabilityBuilder ha = new();
        configure?.Invoke(ha);
        builder.Services.AddSingleton(ha.Factory);
        return builder;
    }
}
