using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Toolkit.Rpc.Hosting;

/// <summary>
/// Runs the <see cref="RpcService"/> with the host: made on first use (by the host's start, or by a gateway client
/// resolved before it), its endpoints started in registration order when the host starts, and stopped gracefully
/// with the host — running calls may finish within the host's shutdown timeout, the rest fail.
/// </summary>
internal sealed partial class RpcHostedService(IServiceProvider services, IOptions<RpcHostOptions> options, RpcEndpointRegistrations endpoints)
    : IHostedService, IAsyncDisposable
{
    private readonly Lock _lock = new();
    private readonly ILogger _logger = (services.GetService<ILoggerFactory>() ?? NullLoggerFactory.Instance).CreateLogger("Toolkit.Rpc.Hosting");
    private RpcService? _service;
    private volatile bool _started;

    /// <summary>The service, made with the host's options, logging and clock the first time it is needed.</summary>
    public RpcService Service
    {
        get
        {
            lock (_lock)
            {
                return _service ??= Create();
            }
        }
    }

    /// <summary>Whether the host has started the service and its endpoints.</summary>
    public bool IsStarted => _started;

    /// <summary>The address the service was configured to listen on, or null in client mode.</summary>
    public string? ListensOn => options.Value.Listen;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        RpcService service = Service;
        foreach (RpcEndpointRegistration registration in endpoints.All)
        {
            cancellationToken.ThrowIfCancellationRequested();
            RpcEndpoint endpoint;
            try
            {
                endpoint = registration.Create(services);
            }
            catch (Exception exception) when (exception is InvalidOperationException or ArgumentException)
            {
                throw new InvalidOperationException(
                    $"Toolkit RPC could not create endpoint '{registration.Name}' ({registration.EndpointType.FullName}): {exception.Message}", exception);
            }

            await service.StartEndpointAsync(endpoint, registration.Name).ConfigureAwait(false);
        }

        _started = true;
        Started(_logger, service.NodeId, service.Address ?? "no listener (client mode)", endpoints.All.Count);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        RpcService? service;
        lock (_lock)
        {
            service = _service;
        }

        if (service is not null)
        {
            await service.StopAsync(cancellationToken).ConfigureAwait(false);
            Stopped(_logger, service.NodeId);
        }
    }

    public async ValueTask DisposeAsync()
    {
        RpcService? service;
        lock (_lock)
        {
            service = _service;
        }

        if (service is not null)
        {
            await service.DisposeAsync().ConfigureAwait(false);
        }
    }

    private RpcService Create()
    {
        RpcServiceOptions serviceOptions = RpcServiceOptionsFactory.Create(
            options.Value,
            services.GetService<ILoggerFactory>() ?? NullLoggerFactory.Instance,
            services.GetService<TimeProvider>() ?? TimeProvider.System,
            services.GetService<IMeterFactory>());

        // Starting a service only binds its listener: the task is complete when it returns.
        return RpcService.StartAsync(serviceOptions).GetAwaiter().GetResult();
    }

    [LoggerMessage(1001, LogLevel.Information, "Toolkit RPC service {NodeId} started on {Address} with {Endpoints} endpoint(s).")]
    private static partial void Started(ILogger logger, string nodeId, string address, int endpoints);

    [LoggerMessage(1002, LogLevel.Information, "Toolkit RPC service {NodeId} stopped.")]
    private static partial void Stopped(ILogger logger, string nodeId);
}
