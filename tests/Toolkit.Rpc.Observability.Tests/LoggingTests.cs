using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Toolkit.Rpc.Hosting;

namespace Toolkit.Rpc.Observability.Tests;

/// <summary>What services log, observed with FakeLogger: stable event ids, structured fields, nothing per successful call.</summary>
public sealed class LoggingTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Events_carry_their_id_and_structured_fields_and_successful_calls_log_nothing_at_information()
    {
        using FakeLoggerProvider serverLogs = new();
        using FakeLoggerProvider clientLogs = new();
        using ILoggerFactory serverFactory = LoggerFactory.Create(logging => logging.SetMinimumLevel(LogLevel.Trace).AddProvider(serverLogs));
        using ILoggerFactory clientFactory = LoggerFactory.Create(logging => logging.SetMinimumLevel(LogLevel.Trace).AddProvider(clientLogs));
        HopWiring wiring = new();
        RpcService server = await RpcService.StartAsync(new RpcServiceOptions { Listen = "127.0.0.1:0", NodeId = "logged", LoggerFactory = serverFactory });
        await server.StartEndpointAsync(new HopEndpoint(wiring), "hop");
        await using RpcService client = await RpcService.StartAsync(new RpcServiceOptions { LoggerFactory = clientFactory });
        IHop hop = client.GetRemoteGateway<IHop>($"rpc://{server.Address}/hop");
        Assert.Equal(">hop", await hop.PassAsync("").WaitAsync(Bound));

        // Endpoint started (4), in the endpoint's own category, with its name as a field.
        FakeLogRecord started = Assert.Single(serverLogs.Collector.GetSnapshot(), record => record.Id.Id == 4);
        Assert.Equal(LogLevel.Information, started.Level);
        Assert.Equal(typeof(HopEndpoint).FullName, started.Category);
        Assert.Equal("hop", started.GetStructuredStateValue("Endpoint"));

        // Connected (102) on both sides, with the peer as a field.
        FakeLogRecord connected = Assert.Single(clientLogs.Collector.GetSnapshot(), record => record.Id.Id == 102);
        Assert.Equal("Toolkit.Rpc.Transport", connected.Category);
        Assert.Equal("outbound", connected.GetStructuredStateValue("Direction"));
        Assert.Contains(server.Address!, connected.GetStructuredStateValue("Peer"), StringComparison.Ordinal);

        // Many more successful calls add nothing at Information or above, on either side.
        int before = Informational(serverLogs) + Informational(clientLogs);
        for (int i = 0; i < 50; i++)
        {
            await hop.PassAsync("").WaitAsync(Bound);
        }

        hop.Note("one-way");
        Assert.Equal(">hop", await hop.PassAsync("").WaitAsync(Bound));
        Assert.Equal(before, Informational(serverLogs) + Informational(clientLogs));

        // A method that throws is logged at Debug on the server (116), with the call's fields and the exception.
        await Assert.ThrowsAsync<RpcRemoteException>(() => hop.FailAsync("bad input").WaitAsync(Bound));
        FakeLogRecord failed = await EventuallySingle(serverLogs, 116);
        Assert.Equal(LogLevel.Debug, failed.Level);
        Assert.Equal("FailAsync", failed.GetStructuredStateValue("Method"));
        Assert.Equal(nameof(IHop), failed.GetStructuredStateValue("Gateway"));
        Assert.Equal("hop", failed.GetStructuredStateValue("Endpoint"));
        Assert.Equal("exception", failed.GetStructuredStateValue("Status"));
        Assert.NotEqual("0", failed.GetStructuredStateValue("CallId"));
        Assert.IsType<InvalidOperationException>(failed.Exception);

        // A graceful stop says so (301), then each endpoint's stop (5).
        await server.StopAsync(CancellationToken.None);
        Assert.Equal(LogLevel.Information, Assert.Single(serverLogs.Collector.GetSnapshot(), record => record.Id.Id == 301).Level);
        Assert.Equal("hop", Assert.Single(serverLogs.Collector.GetSnapshot(), record => record.Id.Id == 5).GetStructuredStateValue("Endpoint"));
    }

    [Fact]
    public async Task A_hosted_service_logs_through_the_host_and_measures_through_its_meter_factory()
    {
        using FakeLoggerProvider logs = new();
        HostApplicationBuilder builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders().SetMinimumLevel(LogLevel.Debug).AddProvider(logs);
        builder.Services.AddSingleton(new HopWiring());
        builder.Services.AddToolkitRpc(options => options.Listen = "127.0.0.1:0").AddEndpoint<HopEndpoint>("hosted");
        using IHost host = builder.Build();
        using MetricCollector<double> duration = new(host.Services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>(), RpcTelemetry.MeterName, "rpc.server.duration");
        await host.StartAsync().WaitAsync(Bound);

        RpcService service = host.Services.GetRequiredService<RpcService>();
        Assert.Same(host.Services.GetRequiredService<ILoggerFactory>(), service.LoggerFactory);
        Assert.Contains(logs.Collector.GetSnapshot(), record => record.Id.Id == 1001);
        Assert.Contains(logs.Collector.GetSnapshot(), record => record.Id.Id == 101 && record.Category == "Toolkit.Rpc.Transport");

        await using RpcService caller = await RpcService.StartAsync();
        Assert.Equal(">hosted", await caller.GetRemoteGateway<IHop>($"rpc://{service.Address}/hosted").PassAsync("").WaitAsync(Bound));
        Assert.Equal("PassAsync", Assert.Single(duration.GetMeasurementSnapshot()).Tags["rpc.method"]);

        await host.StopAsync().WaitAsync(Bound);
        Assert.Contains(logs.Collector.GetSnapshot(), record => record.Id.Id == 1002);
    }

    private static int Informational(FakeLoggerProvider logs) => logs.Collector.GetSnapshot().Count(record => record.Level >= LogLevel.Information);

    private static async Task<FakeLogRecord> EventuallySingle(FakeLoggerProvider logs, int id)
    {
        for (int i = 0; i < 200 && !logs.Collector.GetSnapshot().Any(record => record.Id.Id == id); i++)
        {
            await Task.Delay(10);
        }

        return Assert.Single(logs.Collector.GetSnapshot(), record => record.Id.Id == id);
    }
}
