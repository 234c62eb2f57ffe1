using System.Text.RegularExpressions;
using Toolkit.Rpc.Tests.Endpoints;
using Toolkit.Rpc.Tests.Fuzz;

namespace Toolkit.Rpc.Tests.Infrastructure;

/// <summary>
/// A listening service with a probe and a fuzz-target endpoint, a healthy client-mode service connected to both and
/// calling the probe all along, logs of both, and the model that predicts what hostile bytes must do to the server.
/// </summary>
internal sealed class LiveRig : IAsyncDisposable
{
    /// <summary>The server's frame limit: small, so that frames over it are cheap to send.</summary>
    public const int ServerMaxFrameSize = 64 * 1024;

    /// <summary>The frame limit hostile connections declare in their Hello.</summary>
    public const int HostileMaxFrameSize = 1024 * 1024;

    public const string HealthyNodeId = "healthy-client";

    private readonly CancellationTokenSource _stopHealthy = new();
    private Task? _healthyLoop;
    private long _healthyIncrements;
    private Exception? _healthyFailure;

    private LiveRig(RpcService server, RpcService client, RecordingLoggerFactory serverLogs, RecordingLoggerFactory clientLogs)
    {
        Server = server;
        Client = client;
        ServerLogs = serverLogs;
        ClientLogs = clientLogs;
    }

    public RpcService Server { get; }

    public RpcService Client { get; }

    public RecordingLoggerFactory ServerLogs { get; }

    public RecordingLoggerFactory ClientLogs { get; }

    public ProbeEndpoint Probe { get; private set; } = null!;

    public FuzzTargetEndpoint Target { get; private set; } = null!;

    public IProbeGateway HealthyProbe { get; private set; } = null!;

    public IFuzzTargetGateway HealthyTarget { get; private set; } = null!;

    /// <summary>Unstarted copies the model runs calls on: their state is what the server's endpoints' state must be.</summary>
    public ProbeEndpoint ModelProbe { get; } = new();

    public FuzzTargetEndpoint ModelTarget { get; } = new();

    public ServerModel Model { get; private set; } = null!;

    public string Address => Server.Address!;

    /// <summary>Calls of the healthy client that succeeded while the fuzz ran.</summary>
    public long HealthyIncrements => Interlocked.Read(ref _healthyIncrements);

    public static async Task<LiveRig> StartAsync(TimeSpan? connectTimeout = null, int maxQueuedBytes = 16 * 1024 * 1024, int maxPendingCalls = 10_000)
    {
        RecordingLoggerFactory serverLogs = new();
        RecordingLoggerFactory clientLogs = new();
        RpcService server = await RpcService.StartAsync(new RpcServiceOptions
        {
            NodeId = "fuzz-server",
            Listen = "127.0.0.1:0",
            LoggerFactory = serverLogs,
            Transport = new RpcTransportOptions
            {
                MaxFrameSize = ServerMaxFrameSize,
                MaxQueuedBytes = maxQueuedBytes,
                MaxPendingCalls = maxPendingCalls,
                // Hostile sessions never stall, so the handshake timeout only guards against a slow machine.
                ConnectTimeout = connectTimeout ?? TimeSpan.FromSeconds(10),
            },
        });
        RpcService client = await RpcService.StartAsync(new RpcServiceOptions { NodeId = HealthyNodeId, LoggerFactory = clientLogs });
        LiveRig rig = new(server, client, serverLogs, clientLogs);
        rig.Probe = await server.StartEndpointAsync(new ProbeEndpoint(), "probe");
        rig.Target = await server.StartEndpointAsync(new FuzzTargetEndpoint(), "fuzz");
        rig.HealthyProbe = await client.ConnectAsync<IProbeGateway>($"rpc://{server.Address}/probe");
        rig.HealthyTarget = await client.ConnectAsync<IFuzzTargetGateway>($"rpc://{server.Address}/fuzz");
        rig.Model = new ServerModel(server, HostileMaxFrameSize);
        rig.Model.Add("probe", rig.ModelProbe, exactResults: false);
        rig.Model.Add("fuzz", rig.ModelTarget, exactResults: true);
        return rig;
    }

    /// <summary>Starts the healthy client's steady calls: one increment of the probe after another, each of which must succeed.</summary>
    public void StartHealthyCalls()
    {
        _healthyLoop = Task.Run(async () =>
        {
            try
            {
                while (!_stopHealthy.IsCancellationRequested)
                {
                    // Hostile increments (by -5 to 5) interleave, so only the final total says whether every one counted.
                    await HealthyProbe.IncrementAsync(1).AsTask().WaitAsync(HostileConnection.Bound);
                    Interlocked.Increment(ref _healthyIncrements);
                    await Task.Delay(2);
                }
            }
            catch (Exception exception)
            {
                _healthyFailure = exception;
            }
        });
    }

    /// <summary>Stops the healthy calls; fails the test if any of them failed.</summary>
    public async Task StopHealthyCallsAsync()
    {
        _stopHealthy.Cancel();
        if (_healthyLoop is { } loop)
        {
            await Eventually.Within(loop);
        }

        AssertHealthySoFar();
        Assert.True(HealthyIncrements > 0, "the healthy client made no call during the fuzz");
    }

    /// <summary>Fails the test if a call of the healthy client failed so far.</summary>
    public void AssertHealthySoFar() =>
        Assert.True(_healthyFailure is null, $"a call of the healthy client failed during the fuzz: {_healthyFailure}");

    /// <summary>
    /// The endpoints' state must be the model's: every call the model dispatched ran, with the same arguments, and
    /// nothing else ran. The healthy client's calls queue behind the hostile ones, so their answers are the state
    /// after them.
    /// </summary>
    public async Task AssertEndpointsMatchModelAsync(string context)
    {
        string[] calls = await Eventually.Within(HealthyTarget.DrainAsync());
        string[] expected = await ModelTarget.DrainAsync();
        Assert.True(expected.SequenceEqual(calls), $"{context}: the fuzz target ran{Lines(calls)}{Environment.NewLine}but the model expected{Lines(expected)}");
        Assert.DoesNotContain(calls, call => call.StartsWith("VIOLATION", StringComparison.Ordinal));

        int[] recorded = await Eventually.Within(HealthyProbe.RecordedAsync());
        int[] expectedRecorded = await ModelProbe.RecordedAsync();
        Assert.True(expectedRecorded.SequenceEqual(recorded), $"{context}: the probe recorded [{string.Join(",", recorded)}] but the model expected [{string.Join(",", expectedRecorded)}]");
    }

    /// <summary>The log entries about the connection from <paramref name="port"/>.</summary>
    public IEnumerable<LogEntry> ServerLogsFor(int port)
    {
        Regex peer = new($@"127\.0\.0\.1:{port}(?!\d)");
        return ServerLogs.Entries.Where(entry => peer.IsMatch(entry.Message));
    }

    /// <summary>Waits until the server logged, about the connection from <paramref name="port"/>, one of <paramref name="eventIds"/>.</summary>
    public async Task<LogEntry> AwaitServerLogAsync(int port, string context, params int[] eventIds)
    {
        DateTime deadline = DateTime.UtcNow + HostileConnection.Bound;
        while (true)
        {
            if (ServerLogsFor(port).FirstOrDefault(entry => eventIds.Contains(entry.EventId.Id)) is { } entry)
            {
                return entry;
            }

            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"{context}: the server logged no event {string.Join("/", eventIds)} about the connection from port {port}; it logged:{Environment.NewLine}{string.Join(Environment.NewLine, ServerLogsFor(port))}");
            }

            await Task.Delay(2);
        }
    }

    /// <summary>The healthy client's connection opened once and never closed; the server never said it closed either.</summary>
    public void AssertHealthyConnectionNeverDropped()
    {
        Assert.Single(ClientLogs.WithEvent(RecordingLoggerFactory.Connected));
        Assert.Empty(ClientLogs.WithEvent(RecordingLoggerFactory.Closed));
        Assert.Empty(ClientLogs.WithEvent(RecordingLoggerFactory.ProtocolViolation));
        Assert.DoesNotContain(ServerLogs.Entries, entry =>
            entry.EventId.Id is RecordingLoggerFactory.Closed or RecordingLoggerFactory.ProtocolViolation && entry.Message.Contains(HealthyNodeId, StringComparison.Ordinal));
        Assert.Empty(ServerLogs.WithEvent(RecordingLoggerFactory.AcceptFailed));
    }

    public async ValueTask DisposeAsync()
    {
        _stopHealthy.Cancel();
        if (_healthyLoop is { } loop)
        {
            await loop.WaitAsync(HostileConnection.Bound).ConfigureAwait(false);
        }

        _stopHealthy.Dispose();
        Probe?.Block.Set();
        Probe?.Hold.TrySetResult();
        await Client.DisposeAsync();
        await Server.DisposeAsync();
        ServerLogs.Dispose();
        ClientLogs.Dispose();
    }

    private static string Lines(string[] lines) => lines.Length == 0 ? " nothing" : Environment.NewLine + "  " + string.Join(Environment.NewLine + "  ", lines);
}
