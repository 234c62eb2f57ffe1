using Lottery.Contracts;
using Lottery.Store;
using StackExchange.Redis;

namespace Lottery.Delivery;

/// <summary>The simulated partners' books in Redis, so they outlive any delivery process that crashes.</summary>
public sealed class RedisPartnerBook(IDatabase database) : IPartnerBook
{
    public async Task<bool> TryCreditAsync(string partner, PrizeId prize)
    {
        Task<long> request = database.StringIncrementAsync(RedisKeys.Requests(partner));
        bool credited = await database.HashSetAsync(RedisKeys.Credited(partner), prize.ToString(), 1, When.NotExists).ConfigureAwait(false);
        await request.ConfigureAwait(false);
        return credited;
    }

    public async Task<PartnerBookSnapshot> ReadAsync(string partner)
    {
        RedisValue[] credited = await database.HashKeysAsync(RedisKeys.Credited(partner)).ConfigureAwait(false);
        RedisValue requests = await database.StringGetAsync(RedisKeys.Requests(partner)).ConfigureAwait(false);
        return new PartnerBookSnapshot(credited.Select(value => PrizeId.Parse(value.ToString())).ToHashSet(), requests.IsNull ? 0 : (long)requests);
    }
}
