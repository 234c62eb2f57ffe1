using Microsoft.Extensions.Time.Testing;
using Toolkit.Rpc;

namespace Toolkit.Heartbeat.Tests;

/// <summary>An endpoint that owns a manager in the tests, and forwards its connection callbacks.</summary>
public sealed class OwnerEndpoint : RpcEndpoint
{
    public Action<RpcPeer>? Disconnected { get; set; }

    protected override void OnRemoteDisconnected(RpcPeer peer) => Disconnected?.Invoke(peer);
}

/// <summary>What a listener heard, with the manager's clock at the time, in milliseconds since the harness started.</summary>
public sealed record HeardEvent(string Kind, string Target, double AtMs);

/// <summary>A listener that records everything, and checks that it is called on its owner's main thread.</summary>
public sealed class RecordingListener(Func<double> clock, RpcEndpoint owner) : IHeartbeatListener<string, string>
{
    public List<HeardEvent> Events { get; } = [];

    public List<(string Target, string Payload)> Payloads { get; } = [];

    public IEnumerable<HeardEvent> Of(string kind) => Events.Where(e => e.Kind == kind);

    public void NotifyHeartbeatTimeout(string targetId) => Add("timeout", targetId);

    public void NotifyTargetUnreachable(string targetId) => Add("unreachable", targetId);

    public void ReportPayload(string targetId, string payload)
    {
        owner.ValidateRunsInMainThread();
        Payloads.Add((targetId, payload));
    }

    public string RetrievePayload(string targetId) => "to " + targetId;

    private void Add(string kind, string target)
    {
        owner.ValidateRunsInMainThread();
        Events.Add(new HeardEvent(kind, target, clock()));
    }
}

/// <summary>
/// A heartbeat target under the test's control: it answers at once, fails at once, or never answers, and counts the
/// requests it got.
/// </summary>
public sealed class ScriptedTarget(string id) : IHeartbeatTarget<string, string>
{
    public enum Mode
    {
        Answer,
        Fail,
        Silent,
        Refuse,
        TimeOut,
    }

    /// <summary>The clock a <see cref="Mode.TimeOut"/> call's timeout runs on.</summary>
    public TimeProvider? Time { get; set; }

    public Mode Behaviour { get; set; }

    public int Requests { get; private set; }

    public List<double> RequestTimes { get; } = [];

    public Func<double>? Clock { get; set; }

    public Task<string> RequestHeartbeatAsync(string senderId, string payload, TimeSpan timeout)
    {
        Requests++;
        if (Clock is { } clock)
        {
            RequestTimes.Add(clock());
        }

        return Behaviour switch
        {
            Mode.Answer => Task.FromResult($"from {id}"),
            Mode.Fail => Task.FromException<string>(new InvalidOperationException("the target failed the call")),
            Mode.Refuse => Task.FromException<string>(new RpcConnectionException("127.0.0.1:1", "connection refused")),
            Mode.TimeOut => Task.Delay(timeout, Time!).ContinueWith<string>(
                _ => throw new RpcTimeoutException("no reply within the timeout", timeout), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default),
            _ => new TaskCompletionSource<string>().Task,
        };
    }
}

/// <summary>
/// A sender on an endpoint of a service whose clock is a <see cref="FakeTimeProvider"/>. <see cref="AdvanceAsync"/> moves
/// the clock in small steps and lets the endpoint run after each, as time passes for a healthy process.
/// </summary>
public sealed class Harness : IAsyncDisposable
{
    private readonly long _start;

    private Harness(FakeTimeProvider time, RpcService service, OwnerEndpoint owner)
    {
        Time = time;
        Service = service;
        Owner = owner;
        _start = time.GetTimestamp();
        Listener = new RecordingListener(() => NowMs, owner);
    }

    public FakeTimeProvider Time { get; }

    public RpcService Service { get; }

    public OwnerEndpoint Owner { get; }

    public RecordingListener Listener { get; }

    public HeartbeatSender<string, string> Sender { get; private set; } = null!;

    public double NowMs => Time.GetElapsedTime(_start).TotalMilliseconds;

    public static async Task<Harness> StartAsync(HeartbeatOptions options, Random? random = null, HeartbeatMetrics? metrics = null)
    {
        FakeTimeProvider time = new();
        RpcService service = await RpcService.StartAsync(new RpcServiceOptions { TimeProvider = time });
        OwnerEndpoint owner = await service.StartEndpointAsync(new OwnerEndpoint(), "owner");
        Harness harness = new(time, service, owner);
        HeartbeatServices services = new(options, metrics);
        await owner.RunAsync(() => harness.Sender = services.CreateSender(owner, "sender", harness.Listener, random: random ?? new Random(7)));
        return harness;
    }

    public ScriptedTarget Target(string id) => new(id) { Clock = () => NowMs, Time = Time };

    public Task OnMainThread(Action action) => Owner.RunAsync(action);

    public Task<T> OnMainThread<T>(Func<T> read) => Owner.CallAsync(read, TimeSpan.FromSeconds(10));

    public async Task AdvanceAsync(TimeSpan by, TimeSpan? step = null)
    {
        TimeSpan each = step ?? TimeSpan.FromMilliseconds(10);
        for (TimeSpan done = TimeSpan.Zero; done < by; done += each)
        {
            Time.Advance(each);
            await Owner.RunAsync(() => { });
        }
    }

    /// <summary>Moves the clock by <paramref name="by"/> in one step: to the manager, a stall of that length.</summary>
    public async Task StallAsync(TimeSpan by)
    {
        Time.Advance(by);
        await Owner.RunAsync(() => { });
    }

    public async ValueTask DisposeAsync() => await Service.DisposeAsync();
}
