namespace Toolkit.Benchmarks.InProcess;

/// <summary>Answers at once, so that a call costs only what the runtime adds around the method.</summary>
public sealed class BenchmarkEndpoint : RpcEndpoint, IBenchmarkGateway
{
    private long _tells;

    public ValueTask<long> AskAsync(long x) => new(x + 1);

    // Task.FromResult allocates a task per call for most values: that is this variant's point.
    public Task<long> AskTaskAsync(long x) => Task.FromResult(x + 1);

    public void Tell(long x) => _tells++;

    public ValueTask<long> CountTellsAsync() => new(_tells);
}
