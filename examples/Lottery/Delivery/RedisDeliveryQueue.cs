using System.Globalization;
using Lottery.Contracts;
using Lottery.Store;
using StackExchange.Redis;

namespace Lottery.Delivery;

/// <summary>
/// The slow lane on Redis Streams: one stream per partner, one consumer group of couriers. XREADGROUP hands new
/// entries to one consumer, XACK retires them, XAUTOCLAIM moves entries idle with a dead consumer to a live one.
/// </summary>
public sealed class RedisDeliveryQueue(IDatabase database) : IDeliveryQueue
{
    public const string Group = "couriers";
    private readonly HashSet<string> _groups = [];
    private readonly Lock _lock = new();

    public async Task EnqueueAsync(string partner, IReadOnlyList<PrizeWin> wins)
    {
        RedisKey key = await EnsureGroupAsync(partner).ConfigureAwait(false);
        await Task.WhenAll(wins.Select(win => database.StreamAddAsync(key,
        [
            new NameValueEntry("a", win.Activity),
            new NameValueEntry("p", win.Prize),
            new NameValueEntry("s", win.Sequence),
            new NameValueEntry("u", win.User),
            new NameValueEntry("n", win.Node),
        ]))).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<QueueEntry>> ReadAsync(string partner, string consumer, int count)
    {
        RedisKey key = await EnsureGroupAsync(partner).ConfigureAwait(false);
        StreamEntry[] entries = await database.StreamReadGroupAsync(key, Group, consumer, StreamPosition.NewMessages, count).ConfigureAwait(false);
        return [.. entries.Where(entry => !entry.IsNull).Select(ToEntry)];
    }

    public async Task<IReadOnlyList<QueueEntry>> ClaimIdleAsync(string partner, string consumer, TimeSpan minIdle, int count)
    {
        RedisKey key = await EnsureGroupAsync(partner).ConfigureAwait(false);
        StreamAutoClaimResult result = await database.StreamAutoClaimAsync(key, Group, consumer, (long)minIdle.TotalMilliseconds, "0-0", count).ConfigureAwait(false);
        return [.. result.ClaimedEntries.Where(entry => !entry.IsNull).Select(ToEntry)];
    }

    public async Task AckAsync(string partner, IReadOnlyList<string> entryIds)
    {
        RedisKey key = await EnsureGroupAsync(partner).ConfigureAwait(false);
        await database.StreamAcknowledgeAsync(key, Group, [.. entryIds.Select(id => (RedisValue)id)]).ConfigureAwait(false);
    }

    public async Task<long> PendingAsync(string partner)
    {
        RedisKey key = await EnsureGroupAsync(partner).ConfigureAwait(false);
        StreamPendingInfo pending = await database.StreamPendingAsync(key, Group).ConfigureAwait(false);
        StreamGroupInfo[] groups = await database.StreamGroupInfoAsync(key).ConfigureAwait(false);
        long unread = groups.FirstOrDefault(group => group.Name == Group).Lag ?? 0;
        return pending.PendingMessageCount + unread;
    }

    private static QueueEntry ToEntry(StreamEntry entry) => new(entry.Id.ToString(), new PrizeWin(
        (int)entry["a"], (int)entry["p"], (long)entry["s"], (long)entry["u"], entry["n"].ToString()));

    private async Task<RedisKey> EnsureGroupAsync(string partner)
    {
        RedisKey key = RedisKeys.Stream(partner);
        lock (_lock)
        {
            if (_groups.Contains(partner))
            {
                return key;
            }
        }

        try
        {
            // From the beginning: entries added before the group existed are delivered too.
            await database.StreamCreateConsumerGroupAsync(key, Group, StreamPosition.Beginning, createStream: true).ConfigureAwait(false);
        }
        catch (RedisServerException exception) when (exception.Message.StartsWith("BUSYGROUP", StringComparison.Ordinal))
        {
            // Another process created it.
        }

        lock (_lock)
        {
            _groups.Add(partner);
        }

        return key;
    }

    internal static string Describe(PrizeWin win) => string.Create(CultureInfo.InvariantCulture, $"{win.Id} for {win.User}");
}
