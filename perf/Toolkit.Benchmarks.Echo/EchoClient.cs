using System.Diagnostics;
using System.Globalization;

namespace Toolkit.Benchmarks.Echo;

internal sealed record ClientSettings(int Port, int InFlight, double WarmupSeconds, double WindowSeconds, int ServerPid);

/// <summary>
/// The client process: <see cref="ClientSettings.InFlight"/> closed loops over one connection, a warm-up, then the
/// measured window; CPU of both processes is sampled at the window's edges by a dedicated thread.
/// </summary>
internal static class EchoClient
{
    public static async Task<int> RunAsync(ClientSettings settings)
    {
        if (settings.InFlight < 1 || settings.Port is < 1 or > 65535 || !(settings.WindowSeconds > 0) || !(settings.WarmupSeconds >= 0))
        {
            throw new ArgumentException("--port must be 1..65535, --inflight at least 1, --window positive and --warmup not negative");
        }

        long ticksPerSecond = ProcessCpu.TicksPerSecond;
        int clientPid = Environment.ProcessId;

        using EchoObserver? observer = EchoObserver.FromEnvironment();
        await using RpcService service = await RpcService.StartAsync();
        IEchoGateway gateway = await service.ConnectAsync<IEchoGateway>(
            $"rpc://127.0.0.1:{settings.Port.ToString(CultureInfo.InvariantCulture)}/echo");

        // Warm-up starts once connected; the window follows it.
        long connected = Stopwatch.GetTimestamp();
        long windowStart = connected + SecondsToTicks(settings.WarmupSeconds);
        long windowEnd = windowStart + SecondsToTicks(settings.WindowSeconds);

        WindowSampler sampler = new(clientPid, settings.ServerPid, windowStart, windowEnd);
        sampler.Start();

        EchoLoop[] loops = new EchoLoop[settings.InFlight];
        Task[] running = new Task[loops.Length];
        for (int index = 0; index < loops.Length; index++)
        {
            loops[index] = new EchoLoop(gateway, index, windowStart, windowEnd);
            running[index] = loops[index].RunAsync();
        }

        await Task.WhenAll(running);
        WindowSample sample = await sampler.Completion;

        LatencyHistogram merged = new();
        long errors = 0;
        long callsOutsideWindow = 0;
        int pagesAllocatedInWindow = 0;
        foreach (EchoLoop loop in loops)
        {
            pagesAllocatedInWindow += loop.PagesBeforeWindow < 0 ? 0 : loop.Histogram.AllocatedPages - loop.PagesBeforeWindow;
            merged.Merge(loop.Histogram);
            errors += loop.Errors;
            callsOutsideWindow += loop.CallsOutsideWindow;
        }

        if (loops.Select(static loop => loop.FirstError).FirstOrDefault(static error => error is not null) is { } firstError)
        {
            await Console.Error.WriteLineAsync($"first error: {firstError}");
        }

        double secs = settings.WindowSeconds;
        long calls = merged.Count;
        double cpuClient = sample.ClientTicks is { } client ? ProcessCpu.ToSeconds(client) : double.NaN;
        double cpuServer = sample.ServerTicks is { } server ? ProcessCpu.ToSeconds(server) : double.NaN;
        double machineBusy = sample.MachineBusyTicks is { } machine ? ProcessCpu.ToSeconds(machine) : double.NaN;
        double steal = sample.StealTicks is { } stolen ? ProcessCpu.ToSeconds(stolen) : double.NaN;
        if (sample.Problem is { } problem)
        {
            await Console.Error.WriteLineAsync($"cpu sampling: {problem}");
        }

        Console.Out.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"INFO inflight={settings.InFlight} warmup_s={settings.WarmupSeconds:0.###} window_s={secs:0.###} clk_tck={ticksPerSecond} " +
            $"p90_us={merged.PercentileMicroseconds(0.90):0.0} p95_us={merged.PercentileMicroseconds(0.95):0.0} p98_us={merged.PercentileMicroseconds(0.98):0.0} " +
            $"p995_us={merged.PercentileMicroseconds(0.995):0.0} p999_us={merged.PercentileMicroseconds(0.999):0.0} " +
            $"slower_than_2x_p50={SlowerThanTwiceMedian(merged):0.00}% " +
            $"max_us={merged.MaxNanoseconds / 1000.0:0.0} overflow={merged.OverflowCount} calls_outside_window={callsOutsideWindow} " +
            $"machine_busy_s={machineBusy:0.00} other_busy_s={machineBusy - cpuClient - cpuServer:0.00} steal_s={steal:0.00} sample_late_us={sample.StartLateMicroseconds:0}/{sample.EndLateMicroseconds:0} " +
            $"client_gc={sample.Gen0}/{sample.Gen1}/{sample.Gen2} histogram_pages_in_window={pagesAllocatedInWindow} " +
            $"client_alloc_bytes_per_call={(calls == 0 ? double.NaN : sample.AllocatedBytes / (double)calls):0} client_pool_items={sample.PoolWorkItems}"));
        Console.Out.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"RESULT calls={calls} secs={secs:0.000} cps={calls / secs:0} " +
            $"p50_us={merged.PercentileMicroseconds(0.50):0.0} p99_us={merged.PercentileMicroseconds(0.99):0.0} mean_us={merged.MeanMicroseconds:0.0} " +
            $"cpu_client_s={cpuClient:0.00} cpu_server_s={cpuServer:0.00} errors={errors}"));
        Console.Out.Flush();
        return errors == 0 && calls > 0 && sample.Problem is null ? 0 : 1;
    }

    /// <summary>The share of calls, in percent, at or above twice the p50 (an edge of the buckets): what p99 &lt; 2·p50 needs under 1%.</summary>
    private static double SlowerThanTwiceMedian(LatencyHistogram histogram) => histogram.Count == 0
        ? double.NaN
        : histogram.CountAtOrAbove((long)Math.Round(2 * histogram.PercentileMicroseconds(0.5) * 1000)) * 100.0 / histogram.Count;

    private static long SecondsToTicks(double seconds) => (long)Math.Round(seconds * Stopwatch.Frequency);
}

/// <summary>
/// One closed loop: issue a call, await it, check it, repeat. Calls completing in [windowStart, windowEnd) are
/// recorded; the loop ends with the first call that completes at or after windowEnd.
/// </summary>
internal sealed class EchoLoop(IEchoGateway gateway, int index, long windowStart, long windowEnd)
{
    public const int PayloadSize = 64;

    // Pages for latencies below 5 ms are allocated now, before the warm-up, so that the window allocates almost none
    // (64 loops x 49 pages x 4 KiB = 12.5 MB in tput mode; only rarer, slower calls allocate a page in the window).
    public LatencyHistogram Histogram { get; } = new(preallocateBelowNanoseconds: 5_000_000);

    /// <summary>Histogram pages that existed before the window started.</summary>
    public int PagesBeforeWindow { get; private set; } = -1;

    /// <summary>Calls that failed or came back wrong, warm-up included: any makes the run invalid.</summary>
    public long Errors { get; private set; }

    /// <summary>Successful calls completed in the warm-up or after the window (not measured).</summary>
    public long CallsOutsideWindow { get; private set; }

    public Exception? FirstError { get; private set; }

    public async Task RunAsync()
    {
        // Each loop sends its own random payload and ids tagged with its index, so that crossed replies are caught.
        byte[] payload = new byte[PayloadSize];
        new Random(index).NextBytes(payload);
        long idBase = (long)(index + 1) << 40;
        long sequence = 0;
        while (true)
        {
            long id = idBase + ++sequence;
            EchoMessage? reply = null;
            long issued = Stopwatch.GetTimestamp();
            try
            {
                reply = await gateway.EchoAsync(new EchoMessage(id, payload));
            }
            catch (Exception exception)
            {
                FirstError ??= exception;
            }

            long completed = Stopwatch.GetTimestamp();
            if (reply is null)
            {
                Errors++;
            }
            else if (reply.Id != id || reply.Payload is null || !reply.Payload.AsSpan().SequenceEqual(payload))
            {
                Errors++;
                FirstError ??= new InvalidDataException(
                    $"call {id} came back as id {reply.Id} with payload {(reply.Payload is null ? "null" : Convert.ToHexString(reply.Payload))}");
            }
            else if (completed >= windowStart && completed < windowEnd)
            {
                if (PagesBeforeWindow < 0)
                {
                    PagesBeforeWindow = Histogram.AllocatedPages;
                }

                Histogram.Record(LatencyHistogram.TicksToNanoseconds(completed - issued));
            }
            else
            {
                CallsOutsideWindow++;
            }

            if (completed >= windowEnd)
            {
                return;
            }
        }
    }
}

/// <summary>What the sampler measured over the window; ticks are null when /proc could not be read.</summary>
internal sealed record WindowSample(
    long? ClientTicks,
    long? ServerTicks,
    long? MachineBusyTicks,
    long? StealTicks,
    double StartLateMicroseconds,
    double EndLateMicroseconds,
    int Gen0,
    int Gen1,
    int Gen2,
    long AllocatedBytes,
    long PoolWorkItems,
    string? Problem);

/// <summary>
/// Samples utime+stime of the client and the server (and the client's GC counts) at the window's start and end, on a
/// dedicated thread that sleeps until each edge: thread-pool timers could fire late behind the loops' work items.
/// </summary>
internal sealed class WindowSampler(int clientPid, int serverPid, long windowStart, long windowEnd)
{
    private readonly TaskCompletionSource<WindowSample> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task<WindowSample> Completion => _completion.Task;

    public void Start() => new Thread(Run) { IsBackground = true, Name = "window sampler", Priority = ThreadPriority.AboveNormal }.Start();

    private static long SleepUntil(long timestamp)
    {
        while (true)
        {
            long now = Stopwatch.GetTimestamp();
            if (now >= timestamp)
            {
                return now - timestamp;
            }

            Thread.Sleep(TimeSpan.FromSeconds(Math.Min((timestamp - now) / (double)Stopwatch.Frequency, 1.0)));
        }
    }

    private void Run()
    {
        try
        {
            double startLate = SleepUntil(windowStart) * 1e6 / Stopwatch.Frequency;
            long client0 = ProcessCpu.ReadTicks(clientPid);
            long server0 = ProcessCpu.ReadTicks(serverPid);
            (long machine0, long steal0) = ProcessCpu.ReadMachineTicks();
            int gen0 = GC.CollectionCount(0), gen1 = GC.CollectionCount(1), gen2 = GC.CollectionCount(2);
            long allocated = GC.GetTotalAllocatedBytes();
            long poolItems = ThreadPool.CompletedWorkItemCount;

            double endLate = SleepUntil(windowEnd) * 1e6 / Stopwatch.Frequency;
            long client1 = ProcessCpu.ReadTicks(clientPid);
            long server1 = ProcessCpu.ReadTicks(serverPid);
            (long machine1, long steal1) = ProcessCpu.ReadMachineTicks();
            _completion.SetResult(new WindowSample(
                client1 - client0,
                server1 - server0,
                machine1 - machine0,
                steal1 - steal0,
                startLate,
                endLate,
                GC.CollectionCount(0) - gen0,
                GC.CollectionCount(1) - gen1,
                GC.CollectionCount(2) - gen2,
                GC.GetTotalAllocatedBytes() - allocated,
                ThreadPool.CompletedWorkItemCount - poolItems,
                null));
        }
        catch (IOException exception)
        {
            _completion.SetResult(new WindowSample(null, null, null, null, double.NaN, double.NaN, 0, 0, 0, 0, 0, exception.Message));
        }
    }
}
