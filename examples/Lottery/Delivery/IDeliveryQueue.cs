using Lottery.Contracts;

namespace Lottery.Delivery;

/// <summary>
/// The slow lane's durable queue, one stream per partner with one consumer group of couriers: Redis Streams in
/// production (<see cref="RedisDeliveryQueue"/>), memory by default (<see cref="InProcessDeliveryQueue"/>). An entry
/// read stays pending with its consumer until acknowledged; one whose consumer died is claimed by another.
/// </summary>
public interface IDeliveryQueue
{
    Task EnqueueAsync(string partner, IReadOnlyList<PrizeWin> wins);

    /// <summary>New entries for <paramref name="consumer"/> (XREADGROUP … &gt;).</summary>
    Task<IReadOnlyList<QueueEntry>> ReadAsync(string partner, string consumer, int count);

    /// <summary>Entries pending longer than <paramref name="minIdle"/> with any consumer, now <paramref name="consumer"/>'s (XAUTOCLAIM).</summary>
    Task<IReadOnlyList<QueueEntry>> ClaimIdleAsync(string partner, string consumer, TimeSpan minIdle, int count);

    Task AckAsync(string partner, IReadOnlyList<string> entryIds);

    /// <summary>Entries read but not yet acknowledged.</summary>
    Task<long> PendingAsync(string partner);
}

public sealed record QueueEntry(string Id, PrizeWin Win);
