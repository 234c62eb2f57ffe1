using Lottery.Contracts;

namespace Lottery.Load;

/// <summary>What the load generator saw, per 100 ms and per second of its run; owned by the generator's loop.</summary>
internal sealed class LoadRecorder
{
    private readonly ActivityPlan _plan;
    private readonly List<long> _draws = [];
    private readonly List<long> _shakes = [];
    private readonly List<long> _wins = [];
    private readonly List<long> _shed = [];
    private readonly List<LatencyHistogram> _perSecond = [];
    private readonly LatencyHistogram _window = new();
    private readonly long[] _winsByPrize;
    private long _totalDraws, _totalShakes, _totalWins, _totalShed, _notRunning, _failedCalls;

    public LoadRecorder(ActivityPlan plan, long startUnixMs)
    {
        _plan = plan;
        StartUnixMs = startUnixMs;
        _winsByPrize = new long[plan.Prizes.Length];
    }

    public long StartUnixMs { get; }

    /// <summary>Where the activity starts, in ms of the run.</summary>
    private long ActivityStartMs => _plan.StartUnixMs - StartUnixMs;

    public void Drawn(long replyMs, int shakes, long latencyMicros, DrawOutcome outcome, byte prize)
    {
        int bucket = Bucket(replyMs);
        Grow(bucket);
        _draws[bucket]++;
        _shakes[bucket] += shakes;
        _totalDraws++;
        _totalShakes += shakes;
        if (outcome == DrawOutcome.Win)
        {
            _wins[bucket]++;
            _totalWins++;
            _winsByPrize[prize]++;
        }

        int second = (int)(replyMs / 1000);
        while (_perSecond.Count <= second)
        {
            _perSecond.Add(new LatencyHistogram());
        }

        _perSecond[second].Record(latencyMicros);
        if (replyMs >= ActivityStartMs && replyMs < ActivityStartMs + _plan.DurationMs)
        {
            _window.Record(latencyMicros);
        }
    }

    public void Shed(long replyMs)
    {
        int bucket = Bucket(replyMs);
        Grow(bucket);
        _shed[bucket]++;
        _totalShed++;
    }

    public void NotRunning() => _notRunning++;

    public void Failed(int requests) => _failedCalls++;

    public LoadProgress Progress(long nowMs, int inFlight, int queued)
    {
        int second = (int)(nowMs / 1000) - 1;
        LatencyHistogram last = second >= 0 && second < _perSecond.Count ? _perSecond[second] : new LatencyHistogram();
        int from = Math.Max(0, Bucket(nowMs) - 10);
        int to = Math.Min(_draws.Count, from + 10);
        long draws = 0, shakes = 0;
        for (int b = from; b < to; b++)
        {
            draws += _draws[b];
            shakes += _shakes[b];
        }

        return new LoadProgress(nowMs, ActivityStartMs, _plan.DurationMs, draws, shakes, _totalDraws, _totalShakes, _totalWins, _totalShed,
            last.Percentile(0.5) / 1000, last.Percentile(0.99) / 1000, inFlight, queued);
    }

    public LoadResult Finish(long elapsedMs, int users, byte[] wins)
    {
        int startBucket = Bucket(ActivityStartMs);
        int endBucket = Bucket(ActivityStartMs + _plan.DurationMs);
        Grow(endBucket);
        long windowDraws = 0, windowShakes = 0;
        for (int b = startBucket; b < endBucket; b++)
        {
            windowDraws += _draws[b];
            windowShakes += _shakes[b];
        }

        double seconds = _plan.DurationMs / 1000.0;
        long[] perSecond = [.. Enumerable.Range(0, (endBucket - startBucket) / 10).Select(s => Enumerable.Range(startBucket + (s * 10), 10).Sum(b => _draws[b])).Order()];
        return new LoadResult(
            Users: users,
            ElapsedMs: elapsedMs,
            ActivityStartMs: ActivityStartMs,
            Draws: _totalDraws,
            Shakes: _totalShakes,
            Wins: _totalWins,
            Shed: _totalShed,
            NotRunning: _notRunning,
            FailedCalls: _failedCalls,
            DrawsPerSecond: windowDraws / seconds,
            MedianSecondDraws: perSecond.Length == 0 ? 0 : perSecond[perSecond.Length / 2],
            BestSecondDraws: perSecond.Length == 0 ? 0 : perSecond[^1],
            ShakesPerSecond: windowShakes / seconds,
            P50Ms: _window.Percentile(0.5) / 1000,
            P99Ms: _window.Percentile(0.99) / 1000,
            P999Ms: _window.Percentile(0.999) / 1000,
            MaxMs: _window.MaxMicros / 1000.0,
            WinsByPrize: [.. _winsByPrize],
            UsersAtLimit: wins.Count(w => w >= _plan.WinLimit),
            Winners: wins.Count(w => w > 0),
            DrawsPer100Ms: [.. _draws],
            ShakesPer100Ms: [.. _shakes],
            WinsPer100Ms: [.. _wins],
            ShedPer100Ms: [.. _shed],
            P50MsPerSecond: [.. _perSecond.Select(h => h.Percentile(0.5) / 1000)],
            P99MsPerSecond: [.. _perSecond.Select(h => h.Percentile(0.99) / 1000)]);
    }

    private static int Bucket(long ms) => (int)Math.Max(0, ms / 100);

    private void Grow(int bucket)
    {
        while (_draws.Count <= bucket)
        {
            _draws.Add(0);
            _shakes.Add(0);
            _wins.Add(0);
            _shed.Add(0);
        }
    }
}

/// <param name="DrawsLastSecond">Draw requests answered in the last second.</param>
public sealed record LoadProgress(
    long ElapsedMs, long ActivityStartMs, int ActivityMs, long DrawsLastSecond, long ShakesLastSecond, long Draws, long Shakes, long Wins, long Shed,
    double P50Ms, double P99Ms, int InFlightBatches, int QueuedUsers);

/// <summary>The load generator's totals and time series; rates and percentiles are over the activity's window.</summary>
public sealed record LoadResult(
    int Users,
    long ElapsedMs,
    long ActivityStartMs,
    long Draws,
    long Shakes,
    long Wins,
    long Shed,
    long NotRunning,
    long FailedCalls,
    double DrawsPerSecond,
    long MedianSecondDraws,
    long BestSecondDraws,
    double ShakesPerSecond,
    double P50Ms,
    double P99Ms,
    double P999Ms,
    double MaxMs,
    long[] WinsByPrize,
    int UsersAtLimit,
    int Winners,
    long[] DrawsPer100Ms,
    long[] ShakesPer100Ms,
    long[] WinsPer100Ms,
    long[] ShedPer100Ms,
    double[] P50MsPerSecond,
    double[] P99MsPerSecond);
