using System.Collections.Concurrent;
using Lottery.Contracts;

namespace Lottery.Delivery;

/// <summary>A business system that credits prizes to users' accounts (QQ钱包, 黄钻, 京东…), simulated here.</summary>
public interface IPartner
{
    /// <summary>Credits the prize, idempotently by its id: a prize credited before is not credited again.</summary>
    /// <exception cref="PartnerException">The partner failed; the prize may or may not have been credited.</exception>
    Task<CreditResult> CreditAsync(string partner, PrizeWin win);
}

public enum CreditResult
{
    Credited,
    /// <summary>The partner had credited this prize id before: the retry changed nothing.</summary>
    AlreadyCredited,
}

public sealed class PartnerException(string message) : Exception(message);

/// <summary>The partners' books: which prize ids each has credited, and how often each was asked.</summary>
public interface IPartnerBook
{
    /// <summary>Credits <paramref name="prize"/> unless it was before; counts the request either way.</summary>
    Task<bool> TryCreditAsync(string partner, PrizeId prize);

    Task<PartnerBookSnapshot> ReadAsync(string partner);
}

/// <param name="Credited">Prize ids credited (each once).</param>
/// <param name="Requests">Credit requests received, retries and redeliveries included.</param>
public sealed record PartnerBookSnapshot(IReadOnlySet<PrizeId> Credited, long Requests);

public sealed class InProcessPartnerBook : IPartnerBook
{
    private readonly ConcurrentDictionary<(string Partner, PrizeId Prize), byte> _credited = new();
    private readonly ConcurrentDictionary<string, long> _requests = new();

    public Task<bool> TryCreditAsync(string partner, PrizeId prize)
    {
        _requests.AddOrUpdate(partner, 1, (_, requests) => requests + 1);
        return Task.FromResult(_credited.TryAdd((partner, prize), 0));
    }

    public Task<PartnerBookSnapshot> ReadAsync(string partner) => Task.FromResult(new PartnerBookSnapshot(
        _credited.Keys.Where(key => key.Partner == partner).Select(key => key.Prize).ToHashSet(),
        _requests.GetValueOrDefault(partner)));
}

/// <summary>
/// A simulated partner: credits through its book, watches its own capacity (requests per second beyond
/// <see cref="PartnerPlan.PerSecond"/> are refused and counted, which the slow lane's rate limits must prevent), and
/// fails a share of requests in the worst way — after crediting, as a lost reply would — so that every retry and
/// redelivery path is exercised against idempotence.
/// </summary>
public sealed class SimulatedPartner(IPartnerBook book, IEnumerable<PartnerPlan> partners, TimeProvider clock, double failureRate, int seed = 7) : IPartner
{
    private readonly Dictionary<string, Window> _windows = partners.ToDictionary(p => p.Name, p => new Window(p.PerSecond));
    private readonly Lock _lock = new();
    private readonly Random _random = new(seed);
    private long _failures;

    public long InjectedFailures => Interlocked.Read(ref _failures);

    /// <summary>Requests refused for exceeding the partner's capacity, by partner.</summary>
    public IReadOnlyDictionary<string, long> OverCapacity
    {
        get
        {
            lock (_lock)
            {
                return _windows.ToDictionary(entry => entry.Key, entry => entry.Value.Refused);
            }
        }
    }

    /// <summary>The most requests any one second brought, by partner.</summary>
    public IReadOnlyDictionary<string, long> PeakPerSecond
    {
        get
        {
            lock (_lock)
            {
                return _windows.ToDictionary(entry => entry.Key, entry => entry.Value.Peak);
            }
        }
    }

    public async Task<CreditResult> CreditAsync(string partner, PrizeWin win)
    {
        bool fail;
        lock (_lock)
        {
            Window window = _windows[partner];
            long second = clock.GetUtcNow().ToUnixTimeMilliseconds() / 1000;
            if (second != window.Second)
            {
                window.Second = second;
                window.Count = 0;
            }

            window.Count++;
            window.Peak = Math.Max(window.Peak, window.Count);
            if (window.Count > window.PerSecond)
            {
                window.Refused++;
                throw new PartnerException($"{partner} is over its capacity of {window.PerSecond}/s");
            }

            fail = _random.NextDouble() < failureRate;
        }

        bool credited = await book.TryCreditAsync(partner, win.Id).ConfigureAwait(false);
        if (fail)
        {
            Interlocked.Increment(ref _failures);
            throw new PartnerException($"{partner} timed out crediting {win.Id} (it did credit it)");
        }

        return credited ? CreditResult.Credited : CreditResult.AlreadyCredited;
    }

    private sealed class Window(int perSecond)
    {
        public int PerSecond { get; } = perSecond;

        public long Second { get; set; }

        public long Count { get; set; }

        public long Peak { get; set; }

        public long Refused { get; set; }
    }
}
