using Lottery.Contracts;
using Lottery.Store;
using Lottery.Tests.Fixtures;

namespace Lottery.Tests.Components;

/// <summary>The quota is never exceeded under concurrent draws: per prize, per 100 ms slice, and per user.</summary>
public sealed class QuotaTests(RedisServer redis) : IClassFixture<RedisServer>
{
    [Fact]
    public Task In_process_store_never_over_issues_under_concurrent_draws() => DrawConcurrentlyAsync(new InProcessLotteryStore(), activity: 11);

    [SkippableFact]
    public async Task Redis_store_never_over_issues_under_concurrent_draws()
    {
        Skip.If(redis.Unavailable is not null, redis.Unavailable);
        await using RedisBackend backend = await RedisBackend.ConnectAsync(redis.Endpoint);
        await DrawConcurrentlyAsync(backend.Store, activity: 12);
    }

    [Fact]
    public void Paced_slice_quotas_add_up_to_the_quota_and_spread_a_shortfall()
    {
        const long quota = 1_003;
        const int slices = 100;
        long issued = 0;
        long largest = 0;
        for (int slice = 0; slice < slices; slice++)
        {
            long sliceQuota = ActivityPlan.PacedSliceQuota(quota, issued, slice, slices);
            largest = Math.Max(largest, sliceQuota);
            // A stall: slices 10 to 19 issue nothing.
            issued += slice is >= 10 and < 20 ? 0 : sliceQuota;
        }

        Assert.Equal(quota, issued);
        Assert.True(largest <= 12, $"the shortfall of ten slices spread over ninety raised a slice to {largest}, not a burst");
    }

    /// <summary>
    /// Eight tasks draw 2,000 times each for 400 users over 10 slices, all at once: the store must grant no prize
    /// beyond its quota, no slice beyond the quota it fixed, and no user beyond the win limit.
    /// </summary>
    private static async Task DrawConcurrentlyAsync(ILotteryStore store, int activity)
    {
        ActivityPlan plan = ActivityPlan.Default(0, 1_000) with { Id = activity, WinLimit = 3 };
        plan = plan with { Prizes = [.. plan.Prizes.Select(prize => prize with { Quota = 250 })] };
        int attempts = 0;
        async Task DrawAsync(int worker)
        {
            Random random = new(worker);
            for (int i = 0; i < 2_000; i++)
            {
                int slice = Math.Min(plan.SliceCount - 1, i / 200);
                int[] order = [.. Enumerable.Range(0, plan.Prizes.Length).OrderBy(_ => random.Next())];
                IssueAttempt attempt = new(plan.Id, 1_000 + random.Next(400), $"worker-{worker}", (worker * 10_000L) + i, slice, plan.SliceCount,
                    plan.WinLimit, order, [.. order.Select(prize => (long)plan.Prizes[prize].Quota)]);
                await store.TryIssueAsync(attempt);
                Interlocked.Increment(ref attempts);
            }
        }

        await Task.WhenAll(Enumerable.Range(0, 8).Select(worker => Task.Run(() => DrawAsync(worker))));
        Assert.Equal(16_000, attempts);

        IReadOnlyList<IssuedPrize> issued = await store.ReadIssuedAsync(plan);
        long[][] sliceQuotas = await store.ReadSliceQuotasAsync(plan);
        Assert.NotEmpty(issued);
        for (int prize = 0; prize < plan.Prizes.Length; prize++)
        {
            IssuedPrize[] mine = [.. issued.Where(i => i.Id.Prize == prize)];
            Assert.True(mine.Length <= plan.Prizes[prize].Quota, $"prize {prize}: {mine.Length} issued over a quota of {plan.Prizes[prize].Quota}");
            Assert.Equal(mine.Length, mine.Select(i => i.Id.Sequence).Distinct().Count());
            foreach (IGrouping<int, IssuedPrize> slice in mine.GroupBy(i => i.Slice))
            {
                Assert.True(slice.Count() <= sliceQuotas[prize][slice.Key], $"prize {prize}, slice {slice.Key}: {slice.Count()} issued over its quota of {sliceQuotas[prize][slice.Key]}");
            }
        }

        Assert.All(issued.GroupBy(i => i.User), user => Assert.True(user.Count() <= plan.WinLimit, $"user {user.Key} won {user.Count()} times"));
        IReadOnlyDictionary<long, int> userWins = await store.ReadUserWinsAsync(plan);
        Assert.All(issued.GroupBy(i => i.User), user => Assert.Equal(user.Count(), userWins[user.Key]));
    }
}
