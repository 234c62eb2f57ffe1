namespace Toolkit.Rpc.Streams;

/// <summary>
/// What a channel carries, so that the receiver tells a whole stream from a truncated one:
/// <code>
/// chunk := int32 length (> 0) | length bytes
/// end   := int32 -1 | int64 total bytes sent            (the sender's count, checked by the receiver)
/// fault := int32 -2 | int32 length | UTF-8 message       (the sender's source failed)
/// </code>
/// A channel is chunks, then one end or one fault. A channel that closes without either was cut off.
/// </summary>
internal static class ChunkFormat
{
    public const int End = -1;
    public const int Fault = -2;
    public const int HeaderSize = sizeof(int);
    public const int EndSize = HeaderSize + sizeof(long);

    /// <summary>The most bytes one chunk carries.</summary>
    public const int MaxChunk = 1024 * 1024;

    /// <summary>The longest fault message sent.</summary>
    public const int MaxFaultMessage = 4096;
}
