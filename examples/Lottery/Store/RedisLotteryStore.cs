using System.Globalization;
using Lottery.Contracts;
using StackExchange.Redis;

namespace Lottery.Store;

/// <summary>
/// The store on Redis (带条件判断的分布式原子计数器). A prize is issued by one Lua script on its own slot that counts it
/// only while its total is under its quota and the slice's count under the slice's quota, and records who got which
/// instance, all atomically: no interleaving of nodes can over-issue. A user's wins are reserved by a
/// second script on the user's slot (refused at the limit) before the prize is tried, and returned if none is issued.
/// </summary>
public sealed class RedisLotteryStore(IDatabase database, IConnectionMultiplexer connection) : ILotteryStore
{
    // KEYS: issued counter, per-slice quotas and counts, winners. ARGV: the prize's quota, slice count, slice, winner
    // record. The first attempt in a slice fixes its quota: what is left spread over the slices left, rounded up.
    private const string IssueScript = """
        local quota = tonumber(ARGV[1])
        local issued = tonumber(redis.call('GET', KEYS[1]) or '0')
        if issued >= quota then return 0 end
        local sliceQuota = tonumber(redis.call('HGET', KEYS[2], 'q' .. ARGV[3]) or '-1')
        if sliceQuota < 0 then
          local left = math.max(1, tonumber(ARGV[2]) - tonumber(ARGV[3]))
          sliceQuota = math.floor((quota - issued + left - 1) / left)
          redis.call('HSET', KEYS[2], 'q' .. ARGV[3], sliceQuota)
        end
        local inSlice = tonumber(redis.call('HGET', KEYS[2], 'n' .. ARGV[3]) or '0')
        if inSlice >= sliceQuota then return 0 end
        local sequence = redis.call('INCR', KEYS[1])
        redis.call('HINCRBY', KEYS[2], 'n' .. ARGV[3], 1)
        redis.call('HSET', KEYS[3], sequence, ARGV[4])
        return sequence
        """;

    // KEYS: the user's win count. ARGV: the limit. Returns the new count, or minus the count when at the limit.
    private const string ReserveScript = """
        local wins = redis.call('INCR', KEYS[1])
        if wins > tonumber(ARGV[1]) then
          redis.call('DECR', KEYS[1])
          return -(wins - 1)
        end
        return wins
        """;

    public async ValueTask<IssueResult> TryIssueAsync(IssueAttempt attempt)
    {
        RedisKey userKey = RedisKeys.UserWins(attempt.Activity, attempt.User);
        long reserved = (long)await database.ScriptEvaluateAsync(ReserveScript, [userKey], [attempt.WinLimit]).ConfigureAwait(false);
        if (reserved < 0 || (reserved == 0 && attempt.WinLimit == 0))
        {
            return new IssueResult(IssueStatus.LimitReached, 0, 0, (int)-reserved, 0);
        }

        int sliceFull = 0;
        string record = string.Create(CultureInfo.InvariantCulture, $"{attempt.User}|{attempt.Node}|{attempt.Slice}|{attempt.RequestId}");
        for (int i = 0; i < attempt.Prizes.Length; i++)
        {
            int prize = attempt.Prizes[i];
            long sequence = (long)await database.ScriptEvaluateAsync(IssueScript,
                [RedisKeys.Issued(attempt.Activity, prize), RedisKeys.Slices(attempt.Activity, prize), RedisKeys.Winners(attempt.Activity, prize)],
                [attempt.Quotas[i], attempt.SliceCount, attempt.Slice, record]).ConfigureAwait(false);
            if (sequence > 0)
            {
                return new IssueResult(IssueStatus.Issued, prize, sequence, (int)reserved, sliceFull);
            }

            sliceFull |= 1 << prize;
        }

        long wins = await database.StringDecrementAsync(userKey).ConfigureAwait(false);
        return new IssueResult(IssueStatus.NoPrize, 0, 0, (int)wins, sliceFull);
    }

    public async Task<int[]> LoadWinCountsAsync(int activity, long[] users)
    {
        Task<RedisValue>[] reads = [.. users.Select(user => database.StringGetAsync(RedisKeys.UserWins(activity, user)))];
        RedisValue[] values = await Task.WhenAll(reads).ConfigureAwait(false);
        return [.. values.Select(value => value.IsNull ? 0 : (int)value)];
    }

    public async Task<IReadOnlyList<IssuedPrize>> ReadIssuedAsync(ActivityPlan plan)
    {
        List<IssuedPrize> issued = [];
        for (int prize = 0; prize < plan.Prizes.Length; prize++)
        {
            foreach (HashEntry entry in await database.HashGetAllAsync(RedisKeys.Winners(plan.Id, prize)).ConfigureAwait(false))
            {
                string[] parts = entry.Value.ToString().Split('|');
                issued.Add(new IssuedPrize(new PrizeId(plan.Id, prize, (long)entry.Name),
                    long.Parse(parts[0], CultureInfo.InvariantCulture), parts[1], int.Parse(parts[2], CultureInfo.InvariantCulture),
                    long.Parse(parts[3], CultureInfo.InvariantCulture)));
            }
        }

        return issued;
    }

    public async Task<long[][]> ReadSliceQuotasAsync(ActivityPlan plan)
    {
        long[][] quotas = new long[plan.Prizes.Length][];
        for (int prize = 0; prize < plan.Prizes.Length; prize++)
        {
            quotas[prize] = new long[plan.SliceCount];
            Array.Fill(quotas[prize], -1);
            foreach (HashEntry entry in await database.HashGetAllAsync(RedisKeys.Slices(plan.Id, prize)).ConfigureAwait(false))
            {
                string name = entry.Name.ToString();
                if (name.StartsWith('q') && int.TryParse(name.AsSpan(1), NumberStyles.None, CultureInfo.InvariantCulture, out int slice) && slice >= 0 && slice < plan.SliceCount)
                {
                    quotas[prize][slice] = (long)entry.Value;
                }
            }
        }

        return quotas;
    }

    public async Task<IReadOnlyDictionary<long, int>> ReadUserWinsAsync(ActivityPlan plan)
    {
        Dictionary<long, int> wins = [];
        string prefix = $"lottery:{{a{plan.Id}:u";
        foreach (IServer server in connection.GetServers().Where(server => !server.IsReplica))
        {
            List<RedisKey> keys = [];
            await foreach (RedisKey key in server.KeysAsync(pattern: RedisKeys.UserWinsPattern(plan.Id), pageSize: 5_000).ConfigureAwait(false))
            {
                keys.Add(key);
            }

            RedisValue[] values = await Task.WhenAll(keys.Select(key => database.StringGetAsync(key))).ConfigureAwait(false);
            for (int i = 0; i < keys.Count; i++)
            {
                string key = keys[i].ToString();
                long user = long.Parse(key.AsSpan(prefix.Length, key.IndexOf('}', StringComparison.Ordinal) - prefix.Length), CultureInfo.InvariantCulture);
                if (!values[i].IsNull && (int)values[i] > 0)
                {
                    wins[user] = (int)values[i];
                }
            }
        }

        return wins;
    }

    public Task<bool> TryMarkDeliveredAsync(PrizeId prize, string by) =>
        database.HashSetAsync(RedisKeys.Delivered(prize.Activity, prize.Prize), prize.Sequence, by, When.NotExists);

    public Task<bool> IsDeliveredAsync(PrizeId prize) =>
        database.HashExistsAsync(RedisKeys.Delivered(prize.Activity, prize.Prize), prize.Sequence);

    public async Task<IReadOnlySet<PrizeId>> ReadDeliveredAsync(ActivityPlan plan)
    {
        HashSet<PrizeId> delivered = [];
        for (int prize = 0; prize < plan.Prizes.Length; prize++)
        {
            foreach (RedisValue sequence in await database.HashKeysAsync(RedisKeys.Delivered(plan.Id, prize)).ConfigureAwait(false))
            {
                delivered.Add(new PrizeId(plan.Id, prize, (long)sequence));
            }
        }

        return delivered;
    }
}
