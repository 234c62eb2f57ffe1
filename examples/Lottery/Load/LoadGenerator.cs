using System.Collections.Concurrent;
using System.Diagnostics;
using Lottery.Contracts;
using Toolkit.Rpc;

namespace Lottery.Load;

/// <summary>
/// Simulated users as the seed's phones behave: each counts its shakes and submits them every 1–3 s (客户端计数, 定时
/// 异步提交), groups start staggered (错峰), a shed request is retried after the access layer's retry-after
/// (动态调整), and a user who reached the win limit stops asking (总量限制). Due submissions are carried to the access
/// layer in batches; one loop owns every user's state, replies come back to it through a queue.
/// </summary>
public sealed class LoadGenerator(LoadOptions options, ActivityPlan plan, IAccessGateway access, TimeProvider clock)
{
    private const int WheelSlotMs = 5;
    private const int WheelSlots = 2048; // 10 s ahead: longer than any interval or retry-after

    private readonly ConcurrentQueue<Completion> _completions = new();
    private readonly SemaphoreSlim _wake = new(0);
    private readonly Random _random = new(options.Seed);
    private readonly List<int>[] _wheel = [.. Enumerable.Range(0, WheelSlots).Select(_ => new List<int>())];
    private long _wheelCursor; // the next slot (absolute, in WheelSlotMs since the start) to drain
    private int _inFlight;
    private long _nextRequestId;

    /// <summary>Runs until the activity has ended (plus <paramref name="tail"/>); reports progress every half second.</summary>
    public async Task<LoadResult> RunAsync(TimeSpan tail, Action<LoadProgress>? progress = null, CancellationToken cancellation = default)
    {
        int users = options.Users;
        long startTicks = Stopwatch.GetTimestamp();
        long startUnixMs = clock.GetUtcNow().ToUnixTimeMilliseconds();
        long endMs = plan.EndUnixMs - startUnixMs + (long)tail.TotalMilliseconds;
        double[] rate = new double[users];
        long[] lastShakeMs = new long[users];
        long[] dueMs = new long[users];
        byte[] wins = new byte[users];
        LoadRecorder recorder = new(plan, startUnixMs);
        for (int u = 0; u < users; u++)
        {
            rate[u] = options.MinShakesPerSecond + (_random.NextDouble() * (options.MaxShakesPerSecond - options.MinShakesPerSecond));
            long groupStart = (long)(u % options.StaggerGroups) * options.StaggerMs / Math.Max(1, options.StaggerGroups);
            long first = groupStart + _random.Next(options.MinIntervalMs, options.MaxIntervalMs);
            lastShakeMs[u] = groupStart;
            Schedule(u, first, dueMs);
        }

        List<int> due = new(options.BatchSize * 4);
        long lastProgressMs = 0;
        while (!cancellation.IsCancellationRequested)
        {
            long nowMs = ElapsedMs(startTicks);
            DrainCompletions(nowMs, startTicks, dueMs, lastShakeMs, wins, recorder);
            if (nowMs >= endMs && Volatile.Read(ref _inFlight) == 0)
            {
                break;
            }

            if (nowMs < endMs)
            {
                for (long slotMs = _wheelCursor * WheelSlotMs; slotMs <= nowMs; slotMs += WheelSlotMs)
                {
                    List<int> slot = _wheel[_wheelCursor % WheelSlots];
                    due.AddRange(slot);
                    slot.Clear();
                    _wheelCursor++;
                }
            }

            while (due.Count > 0 && Volatile.Read(ref _inFlight) < options.MaxInFlightBatches && nowMs < endMs)
            {
                int take = Math.Min(options.BatchSize, due.Count);
                int[] batchUsers = [.. due.GetRange(due.Count - take, take)];
                due.RemoveRange(due.Count - take, take);
                Send(batchUsers, nowMs, rate, lastShakeMs, dueMs);
            }

            if (progress is not null && nowMs - lastProgressMs >= 500)
            {
                lastProgressMs = nowMs;
                progress(recorder.Progress(nowMs, Volatile.Read(ref _inFlight), due.Count));
            }

            await _wake.WaitAsync(TimeSpan.FromMilliseconds(1), CancellationToken.None).ConfigureAwait(false);
        }

        return recorder.Finish(ElapsedMs(startTicks), users, wins);
    }

    private static long ElapsedMs(long startTicks) => (long)Stopwatch.GetElapsedTime(startTicks).TotalMilliseconds;

    private void Schedule(int user, long atMs, long[] dueMs)
    {
        dueMs[user] = atMs;
        long slot = Math.Max(_wheelCursor, atMs / WheelSlotMs);
        _wheel[slot % WheelSlots].Add(user);
    }

    private void Send(int[] users, long nowMs, double[] rate, long[] lastShakeMs, long[] dueMs)
    {
        long[] requestIds = new long[users.Length];
        long[] ids = new long[users.Length];
        int[] shakes = new int[users.Length];
        long[] due = new long[users.Length];
        for (int i = 0; i < users.Length; i++)
        {
            int u = users[i];
            requestIds[i] = ++_nextRequestId;
            ids[i] = UserId(u);
            shakes[i] = Math.Max(1, (int)Math.Round(rate[u] * (nowMs - lastShakeMs[u]) / 1000));
            due[i] = dueMs[u];
        }

        Interlocked.Increment(ref _inFlight);
        _ = SendAsync(new Submission(users, requestIds, shakes, due, nowMs), new DrawBatch(plan.Id, requestIds, ids, shakes));
    }

    private async Task SendAsync(Submission submission, DrawBatch batch)
    {
        DrawReplies? replies = null;
        Exception? failure = null;
        try
        {
            replies = await access.DrawAsync(batch, TimeSpan.FromSeconds(10)).ConfigureAwait(false);
        }
        catch (RpcException exception)
        {
            failure = exception;
        }

        _completions.Enqueue(new Completion(submission, replies, failure, Stopwatch.GetTimestamp()));
        Interlocked.Decrement(ref _inFlight);
        _wake.Release();
    }

    private void DrainCompletions(long nowMs, long startTicks, long[] dueMs, long[] lastShakeMs, byte[] wins, LoadRecorder recorder)
    {
        while (_completions.TryDequeue(out Completion? completion))
        {
            Submission submission = completion.Submission;
            long replyMs = (long)Stopwatch.GetElapsedTime(startTicks, completion.ReplyTicks).TotalMilliseconds;
            double replyMicros = Stopwatch.GetElapsedTime(startTicks, completion.ReplyTicks).TotalMicroseconds;
            if (completion.Replies is null)
            {
                recorder.Failed(submission.Users.Length);
            }

            for (int i = 0; i < submission.Users.Length; i++)
            {
                int u = submission.Users[i];
                DrawOutcome outcome = completion.Replies is { } replies ? (DrawOutcome)replies.Outcomes[i] : DrawOutcome.TryLater;
                int retryAfter = completion.Replies?.RetryAfterMs is > 0 and var after ? after : 1000;
                long latencyMicros = (long)(replyMicros - (submission.DueMs[i] * 1000.0));
                switch (outcome)
                {
                    case DrawOutcome.TryLater:
                        recorder.Shed(replyMs);
                        Schedule(u, nowMs + retryAfter + _random.Next(retryAfter), dueMs);
                        continue;
                    case DrawOutcome.NotRunning:
                        recorder.NotRunning();
                        lastShakeMs[u] = submission.SentMs;
                        if (replyMs < plan.EndUnixMs - recorder.StartUnixMs)
                        {
                            Schedule(u, nowMs + _random.Next(options.MinIntervalMs, options.MaxIntervalMs), dueMs);
                        }

                        continue;
                }

                lastShakeMs[u] = submission.SentMs;
                recorder.Drawn(replyMs, submission.Shakes[i], latencyMicros, outcome, completion.Replies!.Prizes[i]);
                if (outcome == DrawOutcome.Win)
                {
                    wins[u]++;
                }

                if (outcome == DrawOutcome.LimitReached || wins[u] >= plan.WinLimit)
                {
                    continue; // 总量限制: the phone stops asking and says so itself
                }

                Schedule(u, nowMs + _random.Next(options.MinIntervalMs, options.MaxIntervalMs), dueMs);
            }
        }
    }

    private static long UserId(int index) => 10_000_000L + index;

    private sealed record Submission(int[] Users, long[] RequestIds, int[] Shakes, long[] DueMs, long SentMs);

    private sealed record Completion(Submission Submission, DrawReplies? Replies, Exception? Failure, long ReplyTicks);
}
