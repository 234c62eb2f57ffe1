using Lottery.Delivery;
using Lottery.Ledger;
using Lottery.Store;

namespace Lottery.Hosting;

/// <summary>
/// The real components a deployment talks to: in memory by default, or Redis (store, delivery streams, the simulated
/// partners' books) and PostgreSQL (ledger) when their addresses are given.
/// </summary>
public sealed class Backends : IAsyncDisposable
{
    private readonly IAsyncDisposable? _redis;
    private readonly IAsyncDisposable? _postgres;

    private Backends(ILotteryStore store, ILedger ledger, IDeliveryQueue queue, IPartnerBook book, string description, IAsyncDisposable? redis, IAsyncDisposable? postgres)
    {
        Store = store;
        Ledger = ledger;
        Queue = queue;
        Book = book;
        Description = description;
        _redis = redis;
        _postgres = postgres;
    }

    public ILotteryStore Store { get; }

    public ILedger Ledger { get; }

    public IDeliveryQueue Queue { get; }

    public IPartnerBook Book { get; }

    public string Description { get; }

    public static Backends InProcess(TimeProvider clock) =>
        new(new InProcessLotteryStore(), new InProcessLedger(), new InProcessDeliveryQueue(clock), new InProcessPartnerBook(), "in-process store, queue and ledger", null, null);

    /// <param name="redis">host:port of Redis, or null for the in-process store and queue.</param>
    /// <param name="postgres">An Npgsql connection string, or null for the in-process ledger.</param>
    public static async Task<Backends> ConnectAsync(string? redis, string? postgres, TimeProvider clock)
    {
        if (redis is null && postgres is null)
        {
            return InProcess(clock);
        }

        RedisBackend? redisBackend = redis is null ? null : await RedisBackend.ConnectAsync(redis).ConfigureAwait(false);
        PostgresLedger? ledger = postgres is null ? null : await PostgresLedger.OpenAsync(postgres).ConfigureAwait(false);
        return new Backends(
            (ILotteryStore?)redisBackend?.Store ?? new InProcessLotteryStore(),
            (ILedger?)ledger ?? new InProcessLedger(),
            (IDeliveryQueue?)redisBackend?.Queue ?? new InProcessDeliveryQueue(clock),
            (IPartnerBook?)redisBackend?.Book ?? new InProcessPartnerBook(),
            $"{(redis is null ? "in-process store" : $"Redis at {redis}")}, {(postgres is null ? "in-process ledger" : "PostgreSQL ledger")}",
            redisBackend,
            ledger);
    }

    public async ValueTask DisposeAsync()
    {
        if (_redis is not null)
        {
            await _redis.DisposeAsync().ConfigureAwait(false);
        }

        if (_postgres is not null)
        {
            await _postgres.DisposeAsync().ConfigureAwait(false);
        }
    }
}
