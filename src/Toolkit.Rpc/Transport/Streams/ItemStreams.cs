using System.Buffers;
using System.Collections.Concurrent;

namespace Toolkit.Rpc.Transport.Streams;

/// <summary>
/// A connection's open item streams by call id: the ones it consumes (its own calls: item frames name them) and the
/// ones it produces (the peer's calls: credit frames name them). Two tables, because each side numbers its own calls.
/// Made on a connection's first stream, so that connections without streams carry nothing of this.
/// </summary>
internal sealed class ItemStreams
{
    private readonly ConcurrentDictionary<long, IItemStreamConsumer> _consumers = new();
    private readonly ConcurrentDictionary<long, IItemStreamProducer> _producers = new();

    public void AddConsumer(long callId, IItemStreamConsumer consumer) => _consumers[callId] = consumer;

    public void RemoveConsumer(long callId, IItemStreamConsumer consumer) => _consumers.TryRemove(new KeyValuePair<long, IItemStreamConsumer>(callId, consumer));

    public void AddProducer(long callId, IItemStreamProducer producer) => _producers[callId] = producer;

    public void RemoveProducer(long callId, IItemStreamProducer producer) => _producers.TryRemove(new KeyValuePair<long, IItemStreamProducer>(callId, producer));

    /// <summary>Items for a stream this side consumes; dropped when the consumer has gone (it cancelled meanwhile).</summary>
    public void OnItems(long callId, in ReadOnlySequence<byte> items)
    {
        if (_consumers.TryGetValue(callId, out IItemStreamConsumer? consumer))
        {
            consumer.OnItems(items);
        }
    }

    /// <summary>Credit for a stream this side produces; dropped when the stream has ended meanwhile.</summary>
    public void OnCredit(long callId, int credit)
    {
        if (_producers.TryGetValue(callId, out IItemStreamProducer? producer))
        {
            producer.Grant(credit);
        }
    }
}
