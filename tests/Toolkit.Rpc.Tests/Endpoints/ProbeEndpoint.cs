namespace Toolkit.Rpc.Tests.Endpoints;

/// <summary>
/// Test endpoint whose state is plain fields: if calls ever ran concurrently, the counters would lose updates.
/// Gates let tests hold the endpoint at a chosen point.
/// </summary>
public sealed class ProbeEndpoint : RpcEndpoint, IProbeGateway
{
    private readonly List<int> _recorded = [];
    private long _count;
    private int _peers;
    private IProbeGateway? _lastBounced;

    public TaskCompletionSource Hold { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public ManualResetEventSlim Block { get; } = new();

    public ManualResetEventSlim Blocking { get; } = new();

    public TaskCompletionSource StartGate { get; set; } = CompletedGate();

    public bool Started { get; private set; }

    public int StopCalls { get; private set; }

    public bool CallSeenBeforeStart { get; private set; }

    public TaskCompletionSource<bool> CancellationObserved { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Exception? FailStartWith { get; set; }

    /// <summary>How many BounceAsync calls bounced on (those with a remaining count above zero).</summary>
    public int Bounces { get; private set; }

    /// <summary>Set once a HoldAsync call reached the endpoint.</summary>
    public bool Holding { get; private set; }

    public long Count => _count;

    /// <summary>Services connected to this endpoint's service right now, as OnRemoteConnected/OnRemoteDisconnected tell.</summary>
    public int Peers => Volatile.Read(ref _peers);

    public Action? OnStopped { get; init; }

    public ValueTask<long> IncrementAsync(int by)
    {
        CheckStarted();
        _count += by;
        return new ValueTask<long>(_count);
    }

    public async Task<long> IncrementSlowlyAsync(int by)
    {
        long before = _count;
        await Task.Yield();
        // Interleaving is allowed across an await, but a single read-modify-write between awaits is atomic.
        _count = _count + by;
        return before;
    }

    public void Record(int value) => _recorded.Add(value);

    public Task<int[]> RecordedAsync() => Task.FromResult(_recorded.ToArray());

    public async Task<bool> AwaitsThenChecksMainThreadAsync()
    {
        await Task.Yield();
        ValidateRunsInMainThread();
        await Task.Delay(1);
        ValidateRunsInMainThread();
        return IsInMainThread;
    }

    public Task HoldAsync()
    {
        Holding = true;
        return Hold.Task;
    }

    public Task<int> BlockAsync()
    {
        Blocking.Set();
        // Blocking the main thread is the point: tests hold the endpoint mid-turn to prove calls queue behind it.
#pragma warning disable TK1001
        Block.Wait(TimeSpan.FromSeconds(10));
#pragma warning restore TK1001
        return Task.FromResult(1);
    }

    public Task<int> ThrowAsync(string message) => throw new InvalidOperationException(message);

    public void ThrowOneWay(string message) => throw new InvalidOperationException(message);

    public Task NeverCompletesAsync() => new TaskCompletionSource().Task;

    public async Task<bool> ObserveCancellationAsync(CancellationToken cancellation)
    {
        try
        {
            await Task.Delay(Timeout.Infinite, cancellation);
            return false;
        }
        catch (OperationCanceledException)
        {
            CancellationObserved.TrySetResult(IsInMainThread);
            throw;
        }
    }

    public Task<string> EchoAsync(string text, TimeSpan timeout) => Task.FromResult($"{text} ({timeout.TotalMilliseconds:0} ms)");

    public async Task<int> BounceAsync(IProbeGateway other, int remaining)
    {
        if (remaining == 0)
        {
            return 0;
        }

        Bounces++;
        _lastBounced = other;
        return 1 + await other.BounceAsync(GetSelfGateway<IProbeGateway>(), remaining - 1);
    }

    public ValueTask ResetAsync()
    {
        _count = 0;
        _recorded.Clear();
        return ValueTask.CompletedTask;
    }

    /// <summary>Calls the gateway the last BounceAsync received, from the main thread.</summary>
    public Task<long> CallBackAsync() => CallAsync(() => _lastBounced!.IncrementAsync(1).AsTask(), TimeSpan.FromSeconds(10));

    protected override void OnRemoteConnected(RpcPeer peer) => Interlocked.Increment(ref _peers);

    protected override void OnRemoteDisconnected(RpcPeer peer) => Interlocked.Decrement(ref _peers);

    protected override async Task OnStartAsync()
    {
        await StartGate.Task;
        if (FailStartWith is { } failure)
        {
            throw failure;
        }

        Started = true;
    }

    protected override Task OnStopAsync()
    {
        StopCalls++;
        OnStopped?.Invoke();
        return Task.CompletedTask;
    }

    private void CheckStarted()
    {
        if (!Started)
        {
            CallSeenBeforeStart = true;
        }
    }

    private static TaskCompletionSource CompletedGate()
    {
        TaskCompletionSource gate = new();
        gate.SetResult();
        return gate;
    }
}
