using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;

namespace Toolkit.Rpc.Hosting.Tests;

/// <summary>The Toolkit RPC health check: listener, endpoints, and the remote gateways the host depends on.</summary>
public sealed class HealthCheckTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task A_running_service_is_healthy_and_a_stopped_endpoint_makes_it_unhealthy()
    {
        using IHost host = Build(new() { ["Rpc:Listen"] = "127.0.0.1:0" }, rpc => rpc.AddEndpoint<InventoryEndpoint>("inventory"));
        HealthReport before = await host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync().WaitAsync(Bound);
        Assert.Equal(HealthStatus.Unhealthy, before.Status);
        Assert.Contains("has not started", before.Entries["toolkit-rpc"].Description, StringComparison.Ordinal);

        await host.StartAsync().WaitAsync(Bound);
        HealthReport running = await host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync().WaitAsync(Bound);
        Assert.Equal(HealthStatus.Healthy, running.Status);
        Assert.Equal("Running", running.Entries["toolkit-rpc"].Data["endpoint:inventory"]);

        await host.Services.GetRequiredService<RpcService>().StopEndpointAsync("inventory").WaitAsync(Bound);
        HealthReport stopped = await host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync().WaitAsync(Bound);
        Assert.Equal(HealthStatus.Unhealthy, stopped.Status);
        Assert.Contains("endpoint 'inventory' is stopped", stopped.Entries["toolkit-rpc"].Description, StringComparison.Ordinal);
        await host.StopAsync().WaitAsync(Bound);
    }

    [Fact]
    public async Task An_unreachable_remote_gateway_degrades_the_service_until_it_can_be_reached()
    {
        using IHost server = Build(new() { ["Rpc:Listen"] = "127.0.0.1:0" }, rpc => rpc.AddEndpoint<InventoryEndpoint>("inventory"));
        await server.StartAsync().WaitAsync(Bound);
        string address = server.Services.GetRequiredService<RpcService>().Address!;
        using IHost client = Build(new(), rpc => rpc.AddRemoteGateway<IInventoryGateway>($"rpc://{address}/inventory").AddRemoteGateway<IInventoryGateway>($"rpc://{address}/missing"));
        await client.StartAsync().WaitAsync(Bound);

        HealthReport report = await client.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync().WaitAsync(Bound);

        Assert.Equal(HealthStatus.Degraded, report.Status);
        Assert.Equal("reachable", report.Entries["toolkit-rpc"].Data[$"remote:rpc://{address}/inventory"]);
        Assert.Contains($"1 remote gateway(s) unreachable: {typeof(IInventoryGateway).Name} at rpc://{address}/missing", report.Entries["toolkit-rpc"].Description, StringComparison.Ordinal);
        await client.StopAsync().WaitAsync(Bound);
        await server.StopAsync().WaitAsync(Bound);
    }

    private static IHost Build(Dictionary<string, string?> settings, Action<ToolkitRpcBuilder> configureRpc)
    {
        HostApplicationBuilder builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddSingleton(new Journal()).AddSingleton<Stock>();
        builder.Services.AddHealthChecks().AddToolkitRpc();
        configureRpc(builder.Services.AddToolkitRpc(builder.Configuration.GetSection("Rpc")));
        return builder.Build();
    }
}
