using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Toolkit.Rpc.Transport;

namespace Toolkit.Rpc;

/// <summary>
/// Hosts endpoints: starts and stops them by name and hands out gateways to them. Calls between endpoints of one
/// service skip serialization unless <see cref="RpcServiceOptions.SerializeLocalCalls"/> is set.
/// </summary>
[DebuggerDisplay("RpcService {NodeId,nq} ({_endpoints.Count} endpoints)")]
public sealed partial class RpcService : RpcSerializationContext, IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, RpcEndpoint> _endpoints = new(StringComparer.Ordinal);
    // How often a graceful stop looks whether the running calls have finished.
    private static readonly TimeSpan DrainPollInterval = TimeSpan.FromMilliseconds(10);

    private readonly ServiceTransport _transport;
    private readonly ILogger _logger;
    private long _startSequence;
    private int _disposed;
    private int _draining;

    private RpcService(RpcServiceOptions options)
    {
        options.Validate();
        Options = options;
        MaxDepth = options.MaxDepth;
        NodeId = options.NodeId ?? $"node-{Guid.NewGuid():N}"[..17];
        TimeProvider = options.TimeProvider;
        LoggerFactory = options.LoggerFactory;
        _logger = LoggerFactory.CreateLogger("Toolkit.Rpc.Service");
        Runtime = new EndpointRuntime(options, NodeId, this, StopEndpointAsync);
        _transport = new ServiceTransport(this);
        ObserveGauges();
    }

    /// <summary>The options the service runs with.</summary>
    public RpcServiceOptions Options { get; }

    /// <summary>The service's unique id.</summary>
    public string NodeId { get; }

    /// <summary>The address (<c>host:port</c>) other services reach this one at, or null when it has no listener (client mode).</summary>
    public string? Address => _listener?.Address;

    /// <summary>The service's clock.</summary>
    public TimeProvider TimeProvider { get; }

    /// <summary>Where the service and its endpoints log.</summary>
    public ILoggerFactory LoggerFactory { get; }

    /// <summary>The names of the endpoints currently registered.</summary>
    public IReadOnlyCollection<string> EndpointNames => [.. _endpoints.Keys];

    internal string DisplayAddress => Runtime.DisplayAddress;

    /// <summary>What the service's endpoints and calls need of it.</summary>
    internal EndpointRuntime Runtime { get; }


    /// <summary>Whether a graceful stop has begun: calls from other services are refused from then on.</summary>
    internal bool IsStopping => Volatile.Read(ref _draining) != 0;

    /// <summary>Starts a service; with <see cref="RpcServiceOptions.Listen"/> set, it listens for other services.</summary>
    /// <exception cref="System.Net.Sockets.SocketException">The listen address cannot be bound.</exception>
    public static Task<RpcService> StartAsync(RpcServiceOptions? options = null)
    {
        RpcService service = new(options ?? new RpcServiceOptions());
        if (service.Options.Listen is { } listen)
        {
            service._listener = RpcListener.Start(service._transport, listen);
            service.Runtime.Address = service._listener.Address;
        }

        return Task.FromResult(service);
    }

    /// <summary>
    /// Starts <paramref name="endpoint"/> under <paramref name="name"/>: runs its <c>OnStartAsync</c> on its main
    /// thread; calls that arrive meanwhile wait. Fails if the name is taken or the start throws.
    /// </summary>
    public async Task<TEndpoint> StartEndpointAsync<TEndpoint>(TEndpoint endpoint, string name)
        where TEndpoint : RpcEndpoint
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        ValidateName(name);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        if (!_endpoints.TryAdd(name, endpoint))
        {
            throw new InvalidOperationException($"Service {NodeId} already has an endpoint named '{name}'.");
        }

        _stoppedEndpoints.TryRemove(name, out _);
        try
        {
            await endpoint.StartAsync(Runtime, name, Interlocked.Increment(ref _startSequence)).ConfigureAwait(false);
        }
        catch
        {
            _endpoints.TryRemove(new KeyValuePair<string, RpcEndpoint>(name, endpoint));
            throw;
        }

        return endpoint;
    }

    /// <summary>Stops the endpoint named <paramref name="name"/>; see <see cref="RpcEndpoint.StopAsync()"/>.</summary>
    public Task StopEndpointAsync(string name) => _endpoints.TryGetValue(name, out RpcEndpoint? endpoint)
        ? StopEndpointAsync(endpoint)
        : throw new RpcEndpointNotFoundException($"Service {NodeId} {HasNoEndpoint(name)}.");

    /// <summary>Returns a gateway of type <typeparamref name="TGateway"/> to the endpoint named <paramref name="endpointName"/>.</summary>
    /// <exception cref="RpcEndpointNotFoundException">No such endpoint, or it does not implement the gateway.</exception>
    public TGateway GetGateway<TGateway>(string endpointName)
        where TGateway : class
    {
        RpcGatewayDescriptor descriptor = RpcGatewayRegistry.Get<TGateway>();
        if (!_endpoints.TryGetValue(endpointName, out RpcEndpoint? endpoint))
        {
            throw new RpcEndpointNotFoundException(
                $"Cannot create a {descriptor.ShortName} gateway: service {NodeId} {HasNoEndpoint(endpointName)}.");
        }

        if (!descriptor.IsImplementedBy(endpoint))
        {
            throw new RpcEndpointNotFoundException(
                $"Cannot create a {descriptor.ShortName} gateway: {endpoint.DoesNotImplement(descriptor.Name)}.");
        }

        return (TGateway)descriptor.CreateProxy(endpoint.LocalTarget);
    }

    /// <inheritdoc />
    public override TGateway ResolveGateway<TGateway>(RpcEndpointReference reference)
    {
        if (reference.NodeId == NodeId || (reference.Address is { } own && own == Address))
        {
            return GetGateway<TGateway>(reference.EndpointName);
        }

        // Another service's endpoint: calls go over the connection to it, opened on first use. The reference came
        // off the wire: refuse one that no service could have sent rather than fail each later call on it.
        if (!RpcAddress.IsValidEndpointName(reference.EndpointName))
        {
            throw new RpcSerializationException($"The message refers to an endpoint named '{reference.EndpointName}', which is not an endpoint name: it {RpcAddress.EndpointNameRule}.");
        }

        if (reference.Address is { } address && !RpcAddress.TryParseHostPort(address, out _, out _))
        {
            throw new RpcSerializationException($"The message refers to endpoint '{reference.EndpointName}' at '{address}', which is not a host:port address.");
        }

        return (TGateway)RpcGatewayRegistry.Get<TGateway>().CreateProxy(new RemoteRpcTarget(_transport, reference));
    }

    /// <summary>
    /// Stops the service gracefully: it accepts no new connection and refuses new calls from other services (they fail
    /// with <see cref="RpcEndpointUnavailableException"/>), lets the calls already running finish until
    /// <paramref name="cancellationToken"/> fires, then stops every endpoint, most recently started first — which fails
    /// the calls still running — and closes its connections.
    /// </summary>
    /// <param name="cancellationToken">When to stop waiting for running calls (a host's shutdown timeout).</param>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _draining, 1) == 0)
        {
            ServiceLog.Stopping(_logger, NodeId);
            _listener?.Dispose();
            try
            {
                while (!_endpoints.Values.All(endpoint => endpoint.IsIdle))
                {
                    await Task.Delay(DrainPollInterval, TimeProvider, cancellationToken).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                // Out of time: stopping the endpoints fails what still runs.
                ServiceLog.DrainTimedOut(_logger, NodeId, string.Join(", ", _endpoints.Where(entry => !entry.Value.IsIdle).Select(entry => $"'{entry.Key}'")));
            }
        }

        await DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>Stops every endpoint, most recently started first, then the service.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        // No new connections; the open ones stay until the endpoints stopped, so that their last replies go out.
        _listener?.Dispose();
        List<Exception> failures = [];
        foreach (RpcEndpoint endpoint in _endpoints.Values.OrderByDescending(endpoint => endpoint.StartSequence))
        {
            try
            {
                await StopEndpointAsync(endpoint).ConfigureAwait(false);
            }
            catch (Exception exception)
            {
                ServiceLog.EndpointStopFailed(_logger, exception, endpoint.Name, NodeId);
                failures.Add(exception);
            }
        }

        _transport.Connections.CloseAll($"service {NodeId} stopped");
        _transport.Connections.StopWatching();

        Runtime.Tracker.Dispose();
        Runtime.Instruments.Dispose();
        ServiceLog.Stopped(_logger, NodeId);
        if (failures.Count > 0)
        {
            throw new AggregateException($"Service {NodeId} stopped, but {failures.Count} endpoint(s) failed to stop cleanly.", failures);
        }
    }

    internal Task StopEndpointAsync(RpcEndpoint endpoint) =>
        endpoint.StopAsync(() =>
        {
            if (_endpoints.TryRemove(new KeyValuePair<string, RpcEndpoint>(endpoint.Name, endpoint)))
            {
                _stoppedEndpoints[endpoint.Name] = 0;
            }

            return Task.CompletedTask;
        });

    private static void ValidateName(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (!RpcAddress.IsValidEndpointName(name))
        {
            throw new ArgumentException($"Endpoint name '{name}' {RpcAddress.EndpointNameRule}.", nameof(name));
        }
    }

    /// <summary>"has no endpoint named 'x' (it has: …)": how errors say a name is not one of this service's endpoints.</summary>
    internal string HasNoEndpoint(string name) =>
        $"has no endpoint named '{name}'{(_endpoints.IsEmpty ? " (it has none)" : $" (it has: {string.Join(", ", _endpoints.Keys.Order())})")}";
}
