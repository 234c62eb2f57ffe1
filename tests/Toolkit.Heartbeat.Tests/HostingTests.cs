using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Toolkit.Heartbeat.TestNode;
using Toolkit.Rpc;
using Toolkit.Rpc.Hosting;

namespace Toolkit.Heartbeat.Tests;

/// <summary>AddHeartbeats on the Generic Host: options from code or configuration, validated at start, services injected into endpoints.</summary>
public sealed class HostingTests
{
    [Fact]
    public async Task Heartbeat_services_are_injected_into_endpoints_with_the_configured_options()
    {
        HostApplicationBuilder builder = Host.CreateApplicationBuilder();
        builder.Configuration["Heartbeat:Interval"] = "00:00:02";
        builder.Configuration["Heartbeat:Timeout"] = "00:00:07";
        builder.Configuration["Heartbeat:FailureThreshold"] = "3";
        builder.Services.AddToolkitRpc().AddEndpoint<WorkerEndpoint>("worker").AddHeartbeats(builder.Configuration.GetSection("Heartbeat"));
        using IHost host = builder.Build();
        await host.StartAsync();

        HeartbeatServices services = host.Services.GetRequiredService<HeartbeatServices>();
        Assert.Equal((TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(7), 3), (services.Options.Interval, services.Options.Timeout, services.Options.FailureThreshold));
        RpcService rpc = host.Services.GetRequiredService<RpcService>();

        // The worker endpoint was made by dependency injection with the heartbeat services, and its receiver answers.
        IWorkerGateway gateway = rpc.GetGateway<IWorkerGateway>("worker");
        WorkerReport report = await gateway.HeartbeatFromMasterAsync("m", new MasterPayload("m", 1), TimeSpan.FromSeconds(5));
        Assert.Equal(new WorkerReport("worker", 4), report);
        await host.StopAsync();
    }

    [Fact]
    public async Task Options_that_cannot_work_fail_the_host_start_naming_the_option()
    {
        HostApplicationBuilder builder = Host.CreateApplicationBuilder();
        builder.Services.AddToolkitRpc().AddHeartbeats(options => options.Timeout = TimeSpan.FromSeconds(5));
        using IHost host = builder.Build();

        OptionsValidationException error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());
        Assert.Contains("Heartbeat option Timeout", error.Message, StringComparison.Ordinal);
        Assert.Contains("longer than the interval", error.Message, StringComparison.Ordinal);
    }
}
