using System.Globalization;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Toolkit.Rpc.Hosting;

/// <summary>
/// The Toolkit RPC service's health: unhealthy when it is not running, its listener is down or an endpoint the host
/// added is not running; degraded when a remote gateway the host added cannot be reached (or serves an incompatible
/// contract), since the service itself still works; healthy otherwise. The data names every part checked.
/// </summary>
internal sealed class RpcHealthCheck(IServiceProvider services, RpcHostedService host, RpcEndpointRegistrations endpoints, RpcRemoteRegistrations remotes) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (!host.IsStarted)
        {
            return HealthCheckResult.Unhealthy("The Toolkit RPC service has not started.");
        }

        RpcService service = host.Service;
        Dictionary<string, object> data = new(StringComparer.Ordinal)
        {
            ["nodeId"] = service.NodeId,
            ["listener"] = service.Address ?? "none (client mode)",
        };
        List<string> unhealthy = [];
        if (service.IsStopping)
        {
            unhealthy.Add("the service is stopping");
        }

        if (host.ListensOn is not null && service.Address is null)
        {
            unhealthy.Add($"the listener on {host.ListensOn} is down");
        }

        foreach (RpcEndpointRegistration registration in endpoints.All)
        {
            RpcEndpointState state = service.Transport.FindEndpoint(registration.Name)?.State ?? RpcEndpointState.Stopped;
            data[$"endpoint:{registration.Name}"] = state.ToString();
            if (state != RpcEndpointState.Running)
            {
                unhealthy.Add($"endpoint '{registration.Name}' is {state.ToString().ToLowerInvariant()}");
            }
        }

        List<string> unreachable = [];
        foreach (RpcRemoteRegistration remote in remotes.All)
        {
            string address = remote.Address(services);
            try
            {
                await remote.Connect(service, address, cancellationToken).ConfigureAwait(false);
                data[$"remote:{address}"] = "reachable";
            }
            catch (RpcException exception)
            {
                data[$"remote:{address}"] = exception.Message;
                unreachable.Add($"{remote.Gateway.Name} at {address}: {exception.Message}");
            }
        }

        return unhealthy.Count > 0 ? HealthCheckResult.Unhealthy(string.Join("; ", unhealthy), data: data)
            : unreachable.Count > 0 ? HealthCheckResult.Degraded(string.Format(CultureInfo.InvariantCulture, "{0} remote gateway(s) unreachable: {1}", unreachable.Count, string.Join("; ", unreachable)), data: data)
            : HealthCheckResult.Healthy($"Service {service.NodeId} runs {endpoints.All.Count} endpoint(s).", data);
    }
}
