using System.Collections.Concurrent;
using System.IO.Pipelines;

namespace Toolkit.Rpc.Transport;

/// <summary>
/// Byte streams of calls between endpoints of one service that are serialized anyway
/// (<see cref="RpcServiceOptions.SerializeLocalCalls"/>): the stream object itself is parked under its token and taken
/// back by the reader, as an unserialized local call would pass it.
/// </summary>
internal sealed class LocalByteStreams : ByteStreamScope
{
    private readonly ConcurrentDictionary<long, object> _parked = new();
    private long _lastToken;

    public override long Offer(object source, string what)
    {
        long token = Interlocked.Increment(ref _lastToken);
        _parked[token] = source;
        return token;
    }

    public override object Accept(long token, bool asStream, string what)
    {
        if (!_parked.TryRemove(token, out object? source))
        {
            throw new RpcSerializationException($"{what} names byte stream {token}, which this service does not hold (it was read already).");
        }

        return (asStream, source) switch
        {
            (true, Stream stream) => stream,
            (true, PipeReader reader) => reader.AsStream(),
            (false, PipeReader reader) => reader,
            (_, Stream stream) => PipeReader.Create(stream),
            _ => throw new RpcSerializationException($"{what} names a byte stream of type {source.GetType().Name}."),
        };
    }
}
