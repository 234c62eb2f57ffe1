using System.Buffers;

namespace Toolkit.Rpc.Transport.Streams;

/// <summary>The consuming end of a remote item stream, as the connection's reader sees it.</summary>
internal interface IItemStreamConsumer
{
    /// <summary>A batch of encoded items arrived; runs on the reader, which must not run the consumer's code.</summary>
    void OnItems(in ReadOnlySequence<byte> items);
}
