using Lottery.Delivery;
using StackExchange.Redis;

namespace Lottery.Store;

/// <summary>One connection to Redis, shared by the store, the delivery streams and the simulated partners' books.</summary>
public sealed class RedisBackend : IAsyncDisposable
{
    private readonly ConnectionMultiplexer _connection;

    private RedisBackend(ConnectionMultiplexer connection)
    {
        _connection = connection;
        IDatabase database = connection.GetDatabase();
        Store = new RedisLotteryStore(database, connection);
        Queue = new RedisDeliveryQueue(database);
        Book = new RedisPartnerBook(database);
    }

    public RedisLotteryStore Store { get; }

    public RedisDeliveryQueue Queue { get; }

    public RedisPartnerBook Book { get; }

    /// <param name="endpoint"><c>host:port</c>.</param>
    public static async Task<RedisBackend> ConnectAsync(string endpoint)
    {
        ConfigurationOptions options = ConfigurationOptions.Parse(endpoint);
        options.AbortOnConnectFail = false;
        options.AllowAdmin = true;
        options.ConnectTimeout = 5_000;
        options.SyncTimeout = 10_000;
        options.AsyncTimeout = 10_000;
        ConnectionMultiplexer connection = await ConnectionMultiplexer.ConnectAsync(options).ConfigureAwait(false);
        return new RedisBackend(connection);
    }

    public async ValueTask DisposeAsync() => await _connection.DisposeAsync().ConfigureAwait(false);
}

/// <summary>
/// Key layout for Redis Cluster: everything one script touches shares a hash tag, so it sits in one slot, while
/// different prizes, users and partners spread over the cluster's slots.
/// </summary>
internal static class RedisKeys
{
    /// <summary>A prize's counter, per-slice counts, issued records and delivery status: tag <c>{a1:p0}</c>.</summary>
    public static RedisKey Issued(int activity, int prize) => $"lottery:{{a{activity}:p{prize}}}:issued";

    public static RedisKey Slices(int activity, int prize) => $"lottery:{{a{activity}:p{prize}}}:slices";

    public static RedisKey Winners(int activity, int prize) => $"lottery:{{a{activity}:p{prize}}}:winners";

    public static RedisKey Delivered(int activity, int prize) => $"lottery:{{a{activity}:p{prize}}}:delivered";

    /// <summary>A user's win count in an activity: tag <c>{a1:u123}</c>.</summary>
    public static RedisKey UserWins(int activity, long user) => $"lottery:{{a{activity}:u{user}}}:wins";

    public static string UserWinsPattern(int activity) => $"lottery:{{a{activity}:u*}}:wins";

    /// <summary>A partner's slow-lane stream: tag <c>{lane:jd}</c>.</summary>
    public static RedisKey Stream(string partner) => $"lottery:{{lane:{partner}}}:stream";

    public static RedisKey Credited(string partner) => $"lottery:{{partner:{partner}}}:credited";

    public static RedisKey Requests(string partner) => $"lottery:{{partner:{partner}}}:requests";
}
