using Microsoft.Extensions.Logging;

namespace Toolkit.Rpc.Streams;

/// <summary>What byte-stream links log.</summary>
internal static partial class LinkLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Warning, Message = "The byte-stream connection to {Peer} was lost: {Reason}; its call connection closes with it")]
    public static partial void Lost(ILogger logger, string peer, string reason);

    [LoggerMessage(EventId = 2, Level = LogLevel.Warning, Message = "{What} sent to {Peer} was not taken within {TimeoutMs} ms (the call or reply that carried it was not read): its source is disposed")]
    public static partial void Unclaimed(ILogger logger, string what, string peer, double timeoutMs);

    [LoggerMessage(EventId = 3, Level = LogLevel.Debug, Message = "{What} sent to {Peer} ended after {Bytes} bytes: {Reason}")]
    public static partial void SendEnded(ILogger logger, string what, string peer, long bytes, string reason);
}
