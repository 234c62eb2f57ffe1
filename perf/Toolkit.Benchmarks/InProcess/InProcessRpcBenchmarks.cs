using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;

namespace Toolkit.Benchmarks.InProcess;

/// <summary>
/// Calls through <see cref="RpcService"/> to an endpoint in the same process (no serialization), beside a bare
/// channel mailbox doing the same work. Every benchmark reports per call: OperationsPerInvoke divides each
/// invocation's time by the calls it made, and the Op/s column is calls (or one-way messages) per second.
/// </summary>
[Config(typeof(RpcBenchmarkConfig))]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class InProcessRpcBenchmarks
{
    public const string OneCaller = "Ask1Caller";

    public const string ManyCallers = "Ask64Callers";

    public const string OneWay = "OneWay";

    /// <summary>Sequential calls per caller per invocation: enough to amortize the invocation's own cost.</summary>
    public const int CallsPerCaller = 1_000;

    public const int Callers = 64;

    public const int TellsPerBurst = 10_000;

    private readonly Task<long>[] _callers = new Task<long>[Callers];
    private RpcService _service = null!;
    private IBenchmarkGateway _gateway = null!;
    private ChannelMailbox _mailbox = null!;

    [GlobalSetup]
    public async Task StartAsync()
    {
        _service = await RpcService.StartAsync();
        await _service.StartEndpointAsync(new BenchmarkEndpoint(), "benchmark");
        _gateway = _service.GetGateway<IBenchmarkGateway>("benchmark");
        _mailbox = new ChannelMailbox();
    }

    [GlobalCleanup]
    public async Task StopAsync()
    {
        await _mailbox.DisposeAsync();
        await _service.DisposeAsync();
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = CallsPerCaller)]
    [BenchmarkCategory(OneCaller)]
    public Task<long> Channel() => ChannelCallerAsync();

    [Benchmark(OperationsPerInvoke = CallsPerCaller)]
    [BenchmarkCategory(OneCaller)]
    public Task<long> ToolkitValueTask() => ValueTaskCallerAsync();

    [Benchmark(OperationsPerInvoke = CallsPerCaller)]
    [BenchmarkCategory(OneCaller)]
    public Task<long> ToolkitTask() => TaskCallerAsync();

    [Benchmark(Baseline = true, OperationsPerInvoke = CallsPerCaller * Callers)]
    [BenchmarkCategory(ManyCallers)]
    public Task<long> Channel64() => RunCallersAsync(static state => ((InProcessRpcBenchmarks)state!).ChannelCallerAsync());

    [Benchmark(OperationsPerInvoke = CallsPerCaller * Callers)]
    [BenchmarkCategory(ManyCallers)]
    public Task<long> ToolkitValueTask64() => RunCallersAsync(static state => ((InProcessRpcBenchmarks)state!).ValueTaskCallerAsync());

    [Benchmark(OperationsPerInvoke = CallsPerCaller * Callers)]
    [BenchmarkCategory(ManyCallers)]
    public Task<long> ToolkitTask64() => RunCallersAsync(static state => ((InProcessRpcBenchmarks)state!).TaskCallerAsync());

    [Benchmark(Baseline = true, OperationsPerInvoke = TellsPerBurst)]
    [BenchmarkCategory(OneWay)]
    public async Task<long> ChannelTell()
    {
        long before = await _mailbox.CountTellsAsync();
        for (int i = 0; i < TellsPerBurst; i++)
        {
            _mailbox.Tell(i);
        }

        return EnsureAllArrived(before, await _mailbox.CountTellsAsync());
    }

    [Benchmark(OperationsPerInvoke = TellsPerBurst)]
    [BenchmarkCategory(OneWay)]
    public async Task<long> ToolkitTell()
    {
        long before = await _gateway.CountTellsAsync();
        for (int i = 0; i < TellsPerBurst; i++)
        {
            _gateway.Tell(i);
        }

        // Calls from one caller arrive in order, so the answer to this ask comes after every tell above ran.
        return EnsureAllArrived(before, await _gateway.CountTellsAsync());
    }

    private static long EnsureAllArrived(long before, long after) =>
        after - before == TellsPerBurst ? after : throw new InvalidOperationException($"{after - before} of {TellsPerBurst} tells arrived before the barrier.");

    private async Task<long> ValueTaskCallerAsync()
    {
        long sum = 0;
        for (int i = 0; i < CallsPerCaller; i++)
        {
            sum += await _gateway.AskAsync(i);
        }

        return sum;
    }

    private async Task<long> TaskCallerAsync()
    {
        long sum = 0;
        for (int i = 0; i < CallsPerCaller; i++)
        {
            sum += await _gateway.AskTaskAsync(i);
        }

        return sum;
    }

    private async Task<long> ChannelCallerAsync()
    {
        long sum = 0;
        for (int i = 0; i < CallsPerCaller; i++)
        {
            sum += await _mailbox.AskAsync(i);
        }

        return sum;
    }

    // Each caller is its own pool work item making sequential calls, so up to 64 calls are in flight at once.
    private async Task<long> RunCallersAsync(Func<object?, Task<long>> caller)
    {
        for (int i = 0; i < _callers.Length; i++)
        {
            _callers[i] = Task.Factory.StartNew(caller, this, CancellationToken.None, TaskCreationOptions.None, TaskScheduler.Default).Unwrap();
        }

        long sum = 0;
        foreach (long callerSum in await Task.WhenAll(_callers))
        {
            sum += callerSum;
        }

        return sum;
    }
}
