using Lottery.Contracts;

namespace Lottery.Delivery;

/// <summary>The slow lane's queue in memory, with a stream's consumer-group semantics (pending entries, claims).</summary>
public sealed class InProcessDeliveryQueue(TimeProvider clock) : IDeliveryQueue
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, Stream> _streams = [];

    public Task EnqueueAsync(string partner, IReadOnlyList<PrizeWin> wins)
    {
        lock (_lock)
        {
            Stream stream = Of(partner);
            foreach (PrizeWin win in wins)
            {
                stream.Entries.Add(new QueueEntry($"{++stream.LastId}-0", win));
            }
        }

        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<QueueEntry>> ReadAsync(string partner, string consumer, int count)
    {
        lock (_lock)
        {
            Stream stream = Of(partner);
            List<QueueEntry> read = [];
            while (read.Count < count && stream.Delivered < stream.Entries.Count)
            {
                QueueEntry entry = stream.Entries[stream.Delivered++];
                stream.Pending[entry.Id] = (entry, consumer, clock.GetTimestamp());
                read.Add(entry);
            }

            return Task.FromResult<IReadOnlyList<QueueEntry>>(read);
        }
    }

    public Task<IReadOnlyList<QueueEntry>> ClaimIdleAsync(string partner, string consumer, TimeSpan minIdle, int count)
    {
        lock (_lock)
        {
            Stream stream = Of(partner);
            List<QueueEntry> claimed = [];
            foreach ((string id, (QueueEntry entry, string _, long since)) in stream.Pending.ToList())
            {
                if (claimed.Count == count)
                {
                    break;
                }

                if (clock.GetElapsedTime(since) >= minIdle)
                {
                    stream.Pending[id] = (entry, consumer, clock.GetTimestamp());
                    claimed.Add(entry);
                }
            }

            return Task.FromResult<IReadOnlyList<QueueEntry>>(claimed);
        }
    }

    public Task AckAsync(string partner, IReadOnlyList<string> entryIds)
    {
        lock (_lock)
        {
            Stream stream = Of(partner);
            foreach (string id in entryIds)
            {
                stream.Pending.Remove(id);
            }
        }

        return Task.CompletedTask;
    }

    public Task<long> PendingAsync(string partner)
    {
        lock (_lock)
        {
            return Task.FromResult((long)Of(partner).Pending.Count);
        }
    }

    private Stream Of(string partner)
    {
        if (!_streams.TryGetValue(partner, out Stream? stream))
        {
            _streams[partner] = stream = new Stream();
        }

        return stream;
    }

    private sealed class Stream
    {
        public readonly List<QueueEntry> Entries = [];
        public readonly Dictionary<string, (QueueEntry Entry, string Consumer, long Since)> Pending = [];
        public long LastId;
        public int Delivered;
    }
}
