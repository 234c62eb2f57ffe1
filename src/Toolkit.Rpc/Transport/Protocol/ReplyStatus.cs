namespace Toolkit.Rpc.Transport.Protocol;

/// <summary>The outcome a <see cref="FrameType.Reply"/> carries, and what follows it.</summary>
internal enum ReplyStatus : byte
{
    /// <summary>The encoded result follows.</summary>
    Ok = 0,

    /// <summary>The method threw: type name, message and stack follow; then, for a fault the method declares, its name and members.</summary>
    Exception = 1,

    /// <summary>No such endpoint, or it does not implement the gateway or method: a message follows.</summary>
    NotFound = 2,

    /// <summary>The endpoint is not running: its state byte and a message follow.</summary>
    Unavailable = 3,

    /// <summary>The arguments could not be read or the result not written: a message follows.</summary>
    Serialization = 4,

    /// <summary>The result is over the frame limit: <c>int64</c> its size (or the bytes written when encoding stopped) and <c>int32</c> the limit follow.</summary>
    TooLarge = 5,

    /// <summary>The method observed the call's cancellation: a message follows.</summary>
    Cancelled = 6,

    /// <summary>The gateway's contracts on the two sides are incompatible: a message saying what differs follows.</summary>
    Incompatible = 7,

    /// <summary>A fenced call carried another epoch than the endpoint's: <c>int64 callEpoch</c> | <c>int64 endpointEpoch</c>, each <c>long.MinValue</c> for none.</summary>
    Fenced = 8,
}
