using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;

namespace Toolkit.Rpc.Observability.Tests;

/// <summary>
/// The metrics of meter Toolkit.Rpc, observed with MetricCollector. Each service takes its meter from a factory of its
/// own, so that tests running side by side never see each other's measurements.
/// </summary>
public sealed class MetricsTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);
    private static readonly string Gateway = typeof(IHop).FullName!;

    [Fact]
    public async Task A_remote_call_is_measured_on_both_sides_with_its_duration_count_and_sizes()
    {
        using Meters meters = new();
        using MetricCollector<double> clientDuration = meters.Client<double>("rpc.client.duration");
        using MetricCollector<double> serverDuration = meters.Server<double>("rpc.server.duration");
        using MetricCollector<long> clientStarted = meters.Client<long>("rpc.client.calls.started");
        using MetricCollector<long> serverStarted = meters.Server<long>("rpc.server.calls.started");
        using MetricCollector<long> clientFailed = meters.Client<long>("rpc.client.calls.failed");
        using MetricCollector<long> requestSize = meters.Client<long>("rpc.client.request.size");
        using MetricCollector<long> responseSize = meters.Client<long>("rpc.client.response.size");
        using MetricCollector<long> serverRequestSize = meters.Server<long>("rpc.server.request.size");
        using MetricCollector<long> serverResponseSize = meters.Server<long>("rpc.server.response.size");
        await using Pair pair = await Pair.StartAsync(meters);

        Assert.Equal(">hop", await pair.Gateway.PassAsync("").WaitAsync(Bound));

        CollectedMeasurement<double> client = Assert.Single(clientDuration.GetMeasurementSnapshot());
        Assert.InRange(client.Value, 1e-7, Bound.TotalSeconds);
        Assert.Equal("toolkit", client.Tags["rpc.system"]);
        Assert.Equal(Gateway, client.Tags["rpc.service"]);
        Assert.Equal("PassAsync", client.Tags["rpc.method"]);
        Assert.Equal("ok", client.Tags["rpc.toolkit.status"]);
        Assert.False(client.ContainsTags("error.type"));

        // The server's measurement is taken when its reply is queued, just before the client's.
        CollectedMeasurement<double> server = Assert.Single(serverDuration.GetMeasurementSnapshot());
        Assert.Equal("ok", server.Tags["rpc.toolkit.status"]);
        Assert.Equal("PassAsync", server.Tags["rpc.method"]);
        Assert.True(server.Value <= client.Value, $"server {server.Value} s, client {client.Value} s");

        Assert.Equal(1, clientStarted.LastMeasurement!.Value);
        Assert.Equal(1, serverStarted.LastMeasurement!.Value);
        Assert.Empty(clientFailed.GetMeasurementSnapshot());

        // Frames: the request carries the header, call id, ids, timeout, the endpoint's name and the string.
        long request = Assert.Single(requestSize.GetMeasurementSnapshot()).Value;
        Assert.Equal(request, Assert.Single(serverRequestSize.GetMeasurementSnapshot()).Value);
        Assert.InRange(request, 5 + 21 + 3, 64);
        long response = Assert.Single(responseSize.GetMeasurementSnapshot()).Value;
        Assert.Equal(response, Assert.Single(serverResponseSize.GetMeasurementSnapshot()).Value);
        Assert.InRange(response, 14 + 4, 64);
    }

    [Fact]
    public async Task A_failed_call_is_counted_as_failed_on_both_sides_with_its_kind()
    {
        using Meters meters = new();
        using MetricCollector<long> clientFailed = meters.Client<long>("rpc.client.calls.failed");
        using MetricCollector<long> serverFailed = meters.Server<long>("rpc.server.calls.failed");
        using MetricCollector<double> clientDuration = meters.Client<double>("rpc.client.duration");
        await using Pair pair = await Pair.StartAsync(meters);

        await Assert.ThrowsAsync<RpcRemoteException>(() => pair.Gateway.FailAsync("no").WaitAsync(Bound));
        await Assert.ThrowsAsync<RpcEndpointNotFoundException>(() => pair.Client.GetRemoteGateway<IHop>($"rpc://{pair.Server.Address}/nobody").PassAsync("").WaitAsync(Bound));

        CollectedMeasurement<long>[] failed = clientFailed.GetMeasurementSnapshot().ToArray();
        Assert.Equal(["exception", "not_found"], failed.Select(measurement => (string)measurement.Tags["rpc.toolkit.status"]!).Order());
        Assert.All(failed, measurement => Assert.Equal(measurement.Tags["rpc.toolkit.status"], measurement.Tags["error.type"]));

        // A call to no endpoint never reaches a method: the server counts only the method that threw.
        CollectedMeasurement<long> serverSide = Assert.Single(serverFailed.GetMeasurementSnapshot());
        Assert.Equal("exception", serverSide.Tags["rpc.toolkit.status"]);
        Assert.Equal("FailAsync", serverSide.Tags["rpc.method"]);
        Assert.Equal(2, clientDuration.GetMeasurementSnapshot().Count);
    }

    [Fact]
    public async Task A_call_that_times_out_is_measured_as_a_timeout()
    {
        using Meters meters = new();
        using MetricCollector<double> clientDuration = meters.Client<double>("rpc.client.duration");
        await using Pair pair = await Pair.StartAsync(meters, defaultTimeout: TimeSpan.FromMilliseconds(100));

        await Assert.ThrowsAsync<RpcTimeoutException>(() => pair.Gateway.WaitAsync(1).WaitAsync(Bound));
        pair.Wiring.Gate.SetResult();

        CollectedMeasurement<double> measurement = Assert.Single(clientDuration.GetMeasurementSnapshot());
        Assert.Equal("timeout", measurement.Tags["rpc.toolkit.status"]);
        Assert.InRange(measurement.Value, 0.09, Bound.TotalSeconds);
    }

    [Fact]
    public async Task Pending_calls_and_open_connections_are_observed_on_each_side()
    {
        using Meters meters = new();
        using MetricCollector<long> pending = meters.Client<long>("rpc.client.calls.pending");
        using MetricCollector<long> clientConnections = meters.Client<long>("rpc.connections.open");
        using MetricCollector<long> active = meters.Server<long>("rpc.server.calls.active");
        using MetricCollector<long> serverConnections = meters.Server<long>("rpc.connections.open");
        await using Pair pair = await Pair.StartAsync(meters);

        Task<int> waiting = pair.Gateway.WaitAsync(7);
        await pair.Wiring.Waiting.Task.WaitAsync(Bound);
        foreach (MetricCollector<long> collector in new[] { pending, clientConnections, active, serverConnections })
        {
            collector.RecordObservableInstruments();
        }

        Assert.Equal(1, pending.LastMeasurement!.Value);
        Assert.Equal(1, active.LastMeasurement!.Value);
        Assert.Equal(1, Direction(clientConnections, "outbound"));
        Assert.Equal(0, Direction(clientConnections, "inbound"));
        Assert.Equal(1, Direction(serverConnections, "inbound"));

        pair.Wiring.Gate.SetResult();
        Assert.Equal(7, await waiting.WaitAsync(Bound));
        pending.RecordObservableInstruments();
        Assert.Equal(0, pending.LastMeasurement!.Value);
    }

    [Fact]
    public async Task Local_calls_count_on_both_sides_and_the_mailbox_depth_is_observed_per_endpoint()
    {
        using Meters meters = new();
        using MetricCollector<double> clientDuration = meters.Server<double>("rpc.client.duration");
        using MetricCollector<double> serverDuration = meters.Server<double>("rpc.server.duration");
        using MetricCollector<long> requestSize = meters.Server<long>("rpc.client.request.size");
        using MetricCollector<long> depth = meters.Server<long>("rpc.endpoint.mailbox.depth");
        HopWiring wiring = new();
        await using RpcService service = await RpcService.StartAsync(new RpcServiceOptions { MeterFactory = meters.ServerFactory });
        await service.StartEndpointAsync(new HopEndpoint(wiring), "local");
        IHop hop = service.GetGateway<IHop>("local");

        Assert.Equal(">local", await hop.PassAsync("").WaitAsync(Bound));
        Assert.Equal("ok", Assert.Single(clientDuration.GetMeasurementSnapshot()).Tags["rpc.toolkit.status"]);
        Assert.Equal("PassAsync", Assert.Single(serverDuration.GetMeasurementSnapshot()).Tags["rpc.method"]);
        Assert.Empty(requestSize.GetMeasurementSnapshot()); // nothing is encoded

        // The main thread blocks in one call; two more wait in the mailbox behind it.
        Task<int> blocking = hop.BlockAsync(1);
        await wiring.Waiting.Task.WaitAsync(Bound);
        Task<int> second = hop.PassAsync("").ContinueWith(_ => 2);
        Task<int> third = hop.PassAsync("").ContinueWith(_ => 3);
        depth.RecordObservableInstruments();
        CollectedMeasurement<long> queued = depth.LastMeasurement!;
        Assert.Equal("local", queued.Tags["rpc.toolkit.endpoint"]);
        Assert.Equal(2, queued.Value);

        wiring.Block.Set();
        int[] results = await Task.WhenAll(blocking, second, third).WaitAsync(Bound);
        Assert.Equal([1, 2, 3], results);
        depth.RecordObservableInstruments();
        Assert.Equal(0, depth.LastMeasurement!.Value);
    }

    private static long Direction(MetricCollector<long> collector, string direction) =>
        collector.GetMeasurementSnapshot().Last(measurement => (string?)measurement.Tags["rpc.toolkit.direction"] == direction).Value;

    /// <summary>A meter factory for the client's service and one for the server's, and collectors on either.</summary>
    private sealed class Meters : IDisposable
    {
        private readonly ServiceProvider _client = new ServiceCollection().AddMetrics().BuildServiceProvider();
        private readonly ServiceProvider _server = new ServiceCollection().AddMetrics().BuildServiceProvider();

        public IMeterFactory ClientFactory => _client.GetRequiredService<IMeterFactory>();

        public IMeterFactory ServerFactory => _server.GetRequiredService<IMeterFactory>();

        public MetricCollector<T> Client<T>(string instrument)
            where T : struct => new(ClientFactory, RpcTelemetry.MeterName, instrument);

        public MetricCollector<T> Server<T>(string instrument)
            where T : struct => new(ServerFactory, RpcTelemetry.MeterName, instrument);

        public void Dispose()
        {
            _client.Dispose();
            _server.Dispose();
        }
    }

    /// <summary>A client-mode service and a listening one with endpoint "hop".</summary>
    private sealed class Pair : IAsyncDisposable
    {
        public required RpcService Client { get; init; }

        public required RpcService Server { get; init; }

        public required IHop Gateway { get; init; }

        public required HopWiring Wiring { get; init; }

        public static async Task<Pair> StartAsync(Meters meters, TimeSpan? defaultTimeout = null)
        {
            HopWiring wiring = new();
            RpcService server = await RpcService.StartAsync(new RpcServiceOptions { Listen = "127.0.0.1:0", MeterFactory = meters.ServerFactory });
            await server.StartEndpointAsync(new HopEndpoint(wiring), "hop");
            RpcService client = await RpcService.StartAsync(new RpcServiceOptions
            {
                MeterFactory = meters.ClientFactory,
                DefaultTimeout = defaultTimeout ?? TimeSpan.FromSeconds(10),
            });
            IHop gateway = client.GetRemoteGateway<IHop>($"rpc://{server.Address}/hop");
            return new Pair { Client = client, Server = server, Gateway = gateway, Wiring = wiring };
        }

        public async ValueTask DisposeAsync()
        {
            Wiring.Gate.TrySetResult();
            Wiring.Block.Set();
            await Client.DisposeAsync();
            await Server.DisposeAsync();
        }
    }
}
