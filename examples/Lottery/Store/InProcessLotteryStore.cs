using Lottery.Contracts;

namespace Lottery.Store;

/// <summary>
/// The store in memory, for <c>dotnet run</c> with nothing installed and for tests: the same conditional counters as
/// the Redis scripts, each prize under its own lock (as each Redis script runs alone).
/// </summary>
public sealed class InProcessLotteryStore : ILotteryStore
{
    private readonly Dictionary<(int Activity, int Prize), PrizeCounter> _prizes = [];
    private readonly Dictionary<(int Activity, long User), int> _userWins = [];
    private readonly Dictionary<PrizeId, string> _delivered = [];
    private readonly Lock _usersLock = new();
    private readonly Lock _prizesLock = new();
    private readonly Lock _deliveredLock = new();

    public ValueTask<IssueResult> TryIssueAsync(IssueAttempt attempt)
    {
        int wins;
        lock (_usersLock)
        {
            _userWins.TryGetValue((attempt.Activity, attempt.User), out wins);
            if (wins >= attempt.WinLimit)
            {
                return ValueTask.FromResult(new IssueResult(IssueStatus.LimitReached, 0, 0, wins, 0));
            }

            _userWins[(attempt.Activity, attempt.User)] = ++wins;
        }

        int sliceFull = 0;
        for (int i = 0; i < attempt.Prizes.Length; i++)
        {
            int prize = attempt.Prizes[i];
            PrizeCounter counter = Counter(attempt.Activity, prize);
            lock (counter)
            {
                if (!counter.SliceQuotas.TryGetValue(attempt.Slice, out long sliceQuota))
                {
                    counter.SliceQuotas[attempt.Slice] = sliceQuota = ActivityPlan.PacedSliceQuota(attempt.Quotas[i], counter.Issued, attempt.Slice, attempt.SliceCount);
                }

                counter.PerSlice.TryGetValue(attempt.Slice, out long inSlice);
                if (counter.Issued >= attempt.Quotas[i] || inSlice >= sliceQuota)
                {
                    sliceFull |= 1 << prize;
                    continue;
                }

                long sequence = ++counter.Issued;
                counter.PerSlice[attempt.Slice] = inSlice + 1;
                counter.Winners.Add(new IssuedPrize(new PrizeId(attempt.Activity, prize, sequence), attempt.User, attempt.Node, attempt.Slice, attempt.RequestId));
                return ValueTask.FromResult(new IssueResult(IssueStatus.Issued, prize, sequence, wins, sliceFull));
            }
        }

        lock (_usersLock)
        {
            wins = --_userWins[(attempt.Activity, attempt.User)];
        }

        return ValueTask.FromResult(new IssueResult(IssueStatus.NoPrize, 0, 0, wins, sliceFull));
    }

    public Task<int[]> LoadWinCountsAsync(int activity, long[] users)
    {
        int[] counts = new int[users.Length];
        lock (_usersLock)
        {
            for (int i = 0; i < users.Length; i++)
            {
                counts[i] = _userWins.GetValueOrDefault((activity, users[i]));
            }
        }

        return Task.FromResult(counts);
    }

    public Task<IReadOnlyList<IssuedPrize>> ReadIssuedAsync(ActivityPlan plan)
    {
        List<IssuedPrize> issued = [];
        for (int prize = 0; prize < plan.Prizes.Length; prize++)
        {
            PrizeCounter counter = Counter(plan.Id, prize);
            lock (counter)
            {
                issued.AddRange(counter.Winners);
            }
        }

        return Task.FromResult<IReadOnlyList<IssuedPrize>>(issued);
    }

    public Task<long[][]> ReadSliceQuotasAsync(ActivityPlan plan)
    {
        long[][] quotas = new long[plan.Prizes.Length][];
        for (int prize = 0; prize < plan.Prizes.Length; prize++)
        {
            quotas[prize] = new long[plan.SliceCount];
            Array.Fill(quotas[prize], -1);
            PrizeCounter counter = Counter(plan.Id, prize);
            lock (counter)
            {
                foreach ((int slice, long quota) in counter.SliceQuotas)
                {
                    if (slice >= 0 && slice < plan.SliceCount)
                    {
                        quotas[prize][slice] = quota;
                    }
                }
            }
        }

        return Task.FromResult(quotas);
    }

    public Task<IReadOnlyDictionary<long, int>> ReadUserWinsAsync(ActivityPlan plan)
    {
        lock (_usersLock)
        {
            return Task.FromResult<IReadOnlyDictionary<long, int>>(_userWins
                .Where(entry => entry.Key.Activity == plan.Id && entry.Value > 0)
                .ToDictionary(entry => entry.Key.User, entry => entry.Value));
        }
    }

    public Task<bool> TryMarkDeliveredAsync(PrizeId prize, string by)
    {
        lock (_deliveredLock)
        {
            return Task.FromResult(_delivered.TryAdd(prize, by));
        }
    }

    public Task<bool> IsDeliveredAsync(PrizeId prize)
    {
        lock (_deliveredLock)
        {
            return Task.FromResult(_delivered.ContainsKey(prize));
        }
    }

    public Task<IReadOnlySet<PrizeId>> ReadDeliveredAsync(ActivityPlan plan)
    {
        lock (_deliveredLock)
        {
            return Task.FromResult<IReadOnlySet<PrizeId>>(_delivered.Keys.Where(id => id.Activity == plan.Id).ToHashSet());
        }
    }

    private PrizeCounter Counter(int activity, int prize)
    {
        lock (_prizesLock)
        {
            if (!_prizes.TryGetValue((activity, prize), out PrizeCounter? counter))
            {
                _prizes[(activity, prize)] = counter = new PrizeCounter();
            }

            return counter;
        }
    }

    private sealed class PrizeCounter
    {
        public long Issued;
        public readonly Dictionary<int, long> PerSlice = [];
        public readonly Dictionary<int, long> SliceQuotas = [];
        public readonly List<IssuedPrize> Winners = [];
    }
}
