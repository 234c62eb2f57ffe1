using System.Diagnostics.Metrics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Toolkit.Rpc.Hosting;

namespace Toolkit.Heartbeat;

/// <summary>Registers the heartbeat services with a host's Toolkit RPC service.</summary>
public static class HeartbeatBuilderExtensions
{
    /// <summary>
    /// Makes <see cref="HeartbeatServices"/> injectable into endpoints, with options set by <paramref name="configure"/>
    /// (Flink's defaults otherwise), validated when the host starts; its metrics go to the host's <see cref="IMeterFactory"/>.
    /// </summary>
    /// <example><c>builder.Services.AddToolkitRpc(config).AddEndpoint&lt;ResourceManager&gt;("rm").AddHeartbeats(o =&gt; o.Interval = TimeSpan.FromSeconds(1));</c></example>
    public static ToolkitRpcBuilder AddHeartbeats(this ToolkitRpcBuilder builder, Action<HeartbeatOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddHeartbeatsCore();
        if (configure is not null)
        {
            builder.Services.Configure(configure);
        }

        return builder;
    }

    /// <summary>As <see cref="AddHeartbeats(ToolkitRpcBuilder, Action{HeartbeatOptions}?)"/>, with options bound from <paramref name="configuration"/> (a section such as <c>Heartbeat</c>).</summary>
    /// <example><c>"Heartbeat": { "Interval": "00:00:01", "Timeout": "00:00:05", "FailureThreshold": 2 }</c></example>
    public static ToolkitRpcBuilder AddHeartbeats(this ToolkitRpcBuilder builder, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configuration);
        builder.Services.AddHeartbeatsCore();
        builder.Services.AddOptions<HeartbeatOptions>().Bind(configuration);
        return builder;
    }

    private static void AddHeartbeatsCore(this IServiceCollection services)
    {
        services.AddOptions<HeartbeatOptions>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<HeartbeatOptions>, HeartbeatOptionsValidator>());
        services.TryAddSingleton(provider => new HeartbeatMetrics(provider.GetService<IMeterFactory>()));
        services.TryAddSingleton(provider => new HeartbeatServices(
            provider.GetRequiredService<IOptions<HeartbeatOptions>>().Value,
            provider.GetRequiredService<HeartbeatMetrics>()));
    }

    private sealed class HeartbeatOptionsValidator : IValidateOptions<HeartbeatOptions>
    {
        public ValidateOptionsResult Validate(string? name, HeartbeatOptions options)
        {
            try
            {
                options.Validate();
                return ValidateOptionsResult.Success;
            }
            catch (ArgumentException exception)
            {
                return ValidateOptionsResult.Fail($"Heartbeat option {exception.ParamName}: {exception.Message}");
            }
        }
    }
}
