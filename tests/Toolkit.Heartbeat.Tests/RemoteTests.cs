using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Time.Testing;
using Toolkit.Heartbeat.TestNode;
using Toolkit.Rpc;

namespace Toolkit.Heartbeat.Tests;

/// <summary>A master and a worker in two services over TCP: payloads both ways, a refused and a closed connection, a receiver's timeout.</summary>
public sealed class RemoteTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(10);

    private static HeartbeatOptions Options() => new()
    {
        Interval = TimeSpan.FromSeconds(1),
        Timeout = TimeSpan.FromSeconds(3),
        FailureThreshold = 5,
        Jitter = 0,
    };

    [Fact]
    public async Task Payloads_travel_both_ways_and_each_side_monitors_the_other()
    {
        await using Pair pair = await Pair.StartAsync();
        await pair.Master.RunAsync(() => pair.Master.Monitor("w1", pair.WorkerAddress));

        // One interval at a time, then wait (the master's clock stands still meanwhile, so no call can time out).
        for (int round = 1; round <= 3; round++)
        {
            pair.MasterTime.Advance(TimeSpan.FromSeconds(1));
            await pair.WaitAsync(() => pair.Heard.Count(e => e == ("HEARTBEAT", "w1")) >= round, $"heartbeat {round} from the worker");
        }

        List<MasterPayload> received = await pair.Worker.CallAsync(() => pair.Worker.Received.ToList(), Limit);
        Assert.Equal([new MasterPayload("master", 1), new MasterPayload("master", 2), new MasterPayload("master", 3)], received.Take(3));
        await pair.Master.RunAsync(() =>
        {
            HeartbeatTargetStatus status = pair.Master.Workers.GetStatus("w1")!.Value;
            Assert.True(status.Heartbeats >= 3);
            Assert.NotNull(status.LastRoundTrip);
        });
        await pair.Worker.RunAsync(() => Assert.True(pair.Worker.Masters.GetStatus("master")!.Value.Heartbeats >= 3));
    }

    [Fact]
    public async Task A_closed_connection_makes_the_worker_unreachable_at_once_without_any_time_passing()
    {
        await using Pair pair = await Pair.StartAsync();
        await pair.Master.RunAsync(() => pair.Master.Monitor("w1", pair.WorkerAddress));
        pair.MasterTime.Advance(TimeSpan.FromMilliseconds(10));
        await pair.WaitAsync(() => pair.Heard.Contains(("HEARTBEAT", "w1")), "the first heartbeat");

        await pair.WorkerService.DisposeAsync();

        await pair.WaitAsync(() => pair.Heard.Contains(("UNREACHABLE", "w1")), "the worker unreachable");
        Assert.DoesNotContain(("TIMEOUT", "w1"), pair.Heard);
    }

    [Fact]
    public async Task A_refused_connection_makes_the_worker_unreachable_at_the_first_request()
    {
        await using Pair pair = await Pair.StartAsync();
        await pair.Master.RunAsync(() => pair.Master.Monitor("w1", $"rpc://127.0.0.1:{UnusedPort()}/w1"));

        pair.MasterTime.Advance(TimeSpan.FromMilliseconds(10));
        await pair.WaitAsync(() => pair.Heard.Contains(("UNREACHABLE", "w1")), "the worker unreachable");
        Assert.Equal([("UNREACHABLE", "w1")], pair.Heard);
    }

    [Fact]
    public async Task A_receiver_times_out_the_master_once_requests_stop()
    {
        await using Pair pair = await Pair.StartAsync();
        await pair.Master.RunAsync(() => pair.Master.Monitor("w1", pair.WorkerAddress));
        pair.MasterTime.Advance(TimeSpan.FromMilliseconds(10));
        await pair.WaitAsync(() => pair.Heard.Contains(("HEARTBEAT", "w1")), "the first heartbeat");
        await pair.Master.RunAsync(() => pair.Master.Workers.UnmonitorTarget("w1"));

        // The one request came at the worker's time 0: the master times out at 3 s on the worker's clock, not before.

        for (int i = 0; i < 299; i++)
        {
            pair.WorkerTime.Advance(TimeSpan.FromMilliseconds(10));
            await pair.Worker.RunAsync(() => { });
        }

        Assert.Empty(await pair.Worker.CallAsync(() => pair.Worker.TimedOut.ToList(), Limit));
        pair.WorkerTime.Advance(TimeSpan.FromMilliseconds(20));
        await pair.Worker.RunAsync(() => { });
        Assert.Equal(["master"], await pair.Worker.CallAsync(() => pair.Worker.TimedOut.ToList(), Limit));
    }

    private static int UnusedPort()
    {
        using Socket socket = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }

    private sealed class Pair : IAsyncDisposable
    {
        public required FakeTimeProvider MasterTime { get; init; }

        public required FakeTimeProvider WorkerTime { get; init; }

        public required RpcService MasterService { get; init; }

        public required RpcService WorkerService { get; init; }

        public required MasterEndpoint Master { get; init; }

        public required WorkerEndpoint Worker { get; init; }

        public required ConcurrentQueue<(string Kind, string Id)> Events { get; init; }

        public IReadOnlyList<(string Kind, string Id)> Heard => [.. Events];

        public string WorkerAddress => $"rpc://{WorkerService.Address}/w1";

        public static async Task<Pair> StartAsync()
        {
            FakeTimeProvider masterTime = new();
            FakeTimeProvider workerTime = new();
            RpcService masterService = await RpcService.StartAsync(new RpcServiceOptions { TimeProvider = masterTime });
            RpcService workerService = await RpcService.StartAsync(new RpcServiceOptions { TimeProvider = workerTime, Listen = "127.0.0.1:0" });
            ConcurrentQueue<(string, string)> events = new();
            HeartbeatServices heartbeats = new(Options());
            MasterEndpoint master = await masterService.StartEndpointAsync(new MasterEndpoint(heartbeats, (kind, id) => events.Enqueue((kind, id))), "master");
            WorkerEndpoint worker = await workerService.StartEndpointAsync(new WorkerEndpoint(heartbeats), "w1");
            await worker.RunAsync(() => worker.Masters.MonitorTarget("master"));
            return new Pair
            {
                MasterTime = masterTime,
                WorkerTime = workerTime,
                MasterService = masterService,
                WorkerService = workerService,
                Master = master,
                Worker = worker,
                Events = events,
            };
        }

        /// <summary>Waits, bounded, for <paramref name="condition"/>; the fake clocks stand still meanwhile.</summary>
        public async Task WaitAsync(Func<bool> condition, string what)
        {
            using CancellationTokenSource limit = new(Limit);
            while (!condition())
            {
                if (limit.IsCancellationRequested)
                {
                    Assert.Fail($"Timed out waiting for {what}; heard: {string.Join(", ", Heard)}");
                }

                await Task.Delay(5);
            }
        }

        public async ValueTask DisposeAsync()
        {
            await MasterService.DisposeAsync();
            await WorkerService.DisposeAsync();
        }
    }
}
