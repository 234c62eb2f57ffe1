using System.Diagnostics.Metrics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Toolkit.Rpc;
using Toolkit.Rpc.Hosting;

namespace Toolkit.Blob;

/// <summary>Registers the blob server, or a blob client and cache, with a host's Toolkit RPC service.</summary>
public static class BlobBuilderExtensions
{
    /// <summary>
    /// Starts a blob server with the host: its endpoint (named <see cref="BlobServerOptions.EndpointName"/>) on the RPC
    /// service, its transfer listener and cleanup with it. Options are validated when the host starts; the shared
    /// secret is the RPC service's unless set, TLS is the RPC service's; an <see cref="IBlobHaStore"/> registered in DI
    /// replaces <see cref="BlobServerOptions.HaDirectory"/>.
    /// </summary>
    /// <example><c>builder.Services.AddToolkitRpc(config).AddBlobServer(o =&gt; { o.Directory = "/var/blobs"; o.HaDirectory = "/mnt/shared/blobs"; });</c></example>
    public static ToolkitRpcBuilder AddBlobServer(this ToolkitRpcBuilder builder, Action<BlobServerOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        builder.Services.Configure(configure);
        BlobServerOptions named = new();
        configure(named);
        return builder.AddBlobServerCore(named.EndpointName);
    }

    /// <summary>As <see cref="AddBlobServer(ToolkitRpcBuilder, Action{BlobServerOptions})"/>, with options bound from <paramref name="configuration"/> (a section such as <c>BlobServer</c>).</summary>
    /// <example><c>"BlobServer": { "Directory": "/var/blobs", "Listen": "0.0.0.0:6124", "MaxConcurrentTransfers": 50 }</c></example>
    public static ToolkitRpcBuilder AddBlobServer(this ToolkitRpcBuilder builder, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configuration);
        builder.Services.AddOptions<BlobServerOptions>().Bind(configuration);
        return builder.AddBlobServerCore(configuration[nameof(BlobServerOptions.EndpointName)] ?? new BlobServerOptions().EndpointName);
    }

    /// <summary>
    /// Makes a <see cref="BlobClient"/> of the blob server at <see cref="BlobCacheSettings.ServerAddress"/> and a
    /// <see cref="BlobCache"/> injectable (singletons), for task executors that download job artifacts.
    /// </summary>
    /// <example><c>builder.Services.AddToolkitRpc(config).AddBlobCache(o =&gt; { o.ServerAddress = "rpc://jm:6123/blobserver"; o.Cache.Directory = "/tmp/blob-cache"; o.Client.HolderId = "te-1"; });</c></example>
    public static ToolkitRpcBuilder AddBlobCache(this ToolkitRpcBuilder builder, Action<BlobCacheSettings> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        builder.Services.Configure(configure);
        return builder.AddBlobCacheCore();
    }

    /// <summary>As <see cref="AddBlobCache(ToolkitRpcBuilder, Action{BlobCacheSettings})"/>, with settings bound from <paramref name="configuration"/>.</summary>
    /// <example><c>"BlobCache": { "ServerAddress": "rpc://jm:6123/blobserver", "Cache": { "Directory": "/tmp/blobs", "QuotaBytes": 10737418240 }, "Client": { "HolderId": "te-1" } }</c></example>
    public static ToolkitRpcBuilder AddBlobCache(this ToolkitRpcBuilder builder, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configuration);
        builder.Services.AddOptions<BlobCacheSettings>().Bind(configuration);
        return builder.AddBlobCacheCore();
    }

    // The endpoint's name is needed when it is registered, before the options are built.
    private static ToolkitRpcBuilder AddBlobServerCore(this ToolkitRpcBuilder builder, string name)
    {
        builder.Services.AddOptions<BlobServerOptions>().ValidateOnStart();
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<BlobServerOptions>, Validator<BlobServerOptions>>());
        builder.Services.AddBlobMetrics();
        builder.Services.TryAddSingleton(provider => new BlobServerEndpoint(
            provider.GetRequiredService<IOptions<BlobServerOptions>>().Value, provider.GetRequiredService<BlobMetrics>(), provider.GetService<IBlobHaStore>()));
        return builder.AddEndpoint(name, static provider => provider.GetRequiredService<BlobServerEndpoint>());
    }

    private static ToolkitRpcBuilder AddBlobCacheCore(this ToolkitRpcBuilder builder)
    {
        builder.Services.AddOptions<BlobCacheSettings>().ValidateOnStart();
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<BlobCacheSettings>, Validator<BlobCacheSettings>>());
        builder.Services.AddBlobMetrics();
        builder.Services.TryAddSingleton(provider =>
        {
            BlobCacheSettings settings = provider.GetRequiredService<IOptions<BlobCacheSettings>>().Value;
            return BlobClient.Create(provider.GetRequiredService<RpcService>(), settings.ServerAddress, settings.Client);
        });
        builder.Services.TryAddSingleton(provider =>
        {
            RpcService rpc = provider.GetRequiredService<RpcService>();
            return new BlobCache(
                provider.GetRequiredService<BlobClient>(),
                provider.GetRequiredService<IOptions<BlobCacheSettings>>().Value.Cache,
                rpc.TimeProvider,
                provider.GetService<ILoggerFactory>(),
                provider.GetRequiredService<BlobMetrics>());
        });
        return builder;
    }

    private static void AddBlobMetrics(this IServiceCollection services) =>
        services.TryAddSingleton(provider => new BlobMetrics(provider.GetService<IMeterFactory>()));

    private sealed class Validator<TOptions> : IValidateOptions<TOptions>
        where TOptions : class
    {
        public ValidateOptionsResult Validate(string? name, TOptions options)
        {
            try
            {
                switch (options)
                {
                    case BlobServerOptions server:
                        server.Validate();
                        break;
                    case BlobCacheSettings cache:
                        cache.Validate();
                        break;
                }

                return ValidateOptionsResult.Success;
            }
            catch (ArgumentException exception)
            {
                return ValidateOptionsResult.Fail($"Blob option {exception.ParamName}: {exception.Message}");
            }
        }
    }
}
