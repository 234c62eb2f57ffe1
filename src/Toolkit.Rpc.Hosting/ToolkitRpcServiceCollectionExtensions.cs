using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Toolkit.Rpc.Hosting;

/// <summary>Registers a Toolkit RPC service with a host.</summary>
public static class ToolkitRpcServiceCollectionExtensions
{
    /// <summary>
    /// Registers an <see cref="RpcService"/> that runs with the host, its options bound from
    /// <paramref name="configuration"/> (see <see cref="RpcHostOptions"/>) and validated when the host starts.
    /// </summary>
    /// <example><c>builder.Services.AddToolkitRpc(builder.Configuration.GetSection("Rpc")).AddEndpoint&lt;ResourceManager&gt;("resourcemanager");</c></example>
    public static ToolkitRpcBuilder AddToolkitRpc(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ToolkitRpcBuilder builder = services.AddToolkitRpcCore(configuration is IConfigurationSection section ? section.Path : "Rpc");
        services.AddOptions<RpcHostOptions>().Bind(configuration);
        return builder;
    }

    /// <summary>Registers an <see cref="RpcService"/> that runs with the host, with options set by <paramref name="configure"/>.</summary>
    public static ToolkitRpcBuilder AddToolkitRpc(this IServiceCollection services, Action<RpcHostOptions>? configure = null)
    {
        ToolkitRpcBuilder builder = services.AddToolkitRpcCore("Rpc");
        if (configure is not null)
        {
            services.Configure(configure);
        }

        return builder;
    }

    private static ToolkitRpcBuilder AddToolkitRpcCore(this IServiceCollection services, string sectionPath)
    {
        ArgumentNullException.ThrowIfNull(services);
        if (services.Any(descriptor => descriptor.ServiceType == typeof(RpcEndpointRegistrations)))
        {
            throw new InvalidOperationException("AddToolkitRpc was called twice: a host runs one Toolkit RPC service; add endpoints to the builder the first call returned.");
        }

        RpcEndpointRegistrations endpoints = new();
        RpcRemoteRegistrations remotes = new();
        services.AddSingleton(endpoints);
        services.AddSingleton(remotes);
        services.AddOptions<RpcHostOptions>().ValidateOnStart();
        services.AddSingleton<IValidateOptions<RpcHostOptions>>(new RpcHostOptionsValidator(sectionPath));
        services.AddSingleton<RpcHostedService>();
        services.AddHostedService(provider => provider.GetRequiredService<RpcHostedService>());
        services.AddSingleton(provider => provider.GetRequiredService<RpcHostedService>().Service);
        return new ToolkitRpcBuilder(services, endpoints, remotes);
    }
}
