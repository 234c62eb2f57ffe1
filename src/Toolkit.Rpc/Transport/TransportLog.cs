using Microsoft.Extensions.Logging;

namespace Toolkit.Rpc.Transport;

internal static partial class TransportLog
{
    [LoggerMessage(101, LogLevel.Information, "Service {NodeId} listens on {Address}.")]
    public static partial void Listening(ILogger logger, string nodeId, string address);

    [LoggerMessage(102, LogLevel.Information, "Connected to {Peer} ({Direction}).")]
    public static partial void Connected(ILogger logger, string peer, string direction);

    [LoggerMessage(103, LogLevel.Information, "Connection to {Peer} closed: {Reason}")]
    public static partial void Closed(ILogger logger, string peer, string reason);

    [LoggerMessage(104, LogLevel.Warning, "Connection to {Peer} closed after a protocol violation: {Reason}")]
    public static partial void ProtocolViolation(ILogger logger, string peer, string reason);

    [LoggerMessage(105, LogLevel.Warning, "Refused a connection from {Peer}: {Reason}")]
    public static partial void Refused(ILogger logger, string peer, string reason);

    [LoggerMessage(106, LogLevel.Warning, "One-way call {Gateway}.{Method} to {Target} dropped: {Reason}")]
    public static partial void OneWayDropped(ILogger logger, string gateway, string method, string target, string reason);

    [LoggerMessage(107, LogLevel.Warning, "A call from {Peer} failed before dispatch: {Reason}")]
    public static partial void InboundRejected(ILogger logger, string peer, string reason);

    [LoggerMessage(110, LogLevel.Warning, "{Bytes} queued bytes for {Peer} were never sent: the connection closed first (one-way calls among them are lost; asks failed).")]
    public static partial void Unsent(ILogger logger, int bytes, string peer);

    [LoggerMessage(109, LogLevel.Error, "Handing a reply from {Peer} to its caller threw.")]
    public static partial void ContinuationFailed(ILogger logger, Exception exception, string peer);

    [LoggerMessage(108, LogLevel.Error, "The listener on {Address} failed to accept a connection; it retries after a pause.")]
    public static partial void AcceptFailed(ILogger logger, Exception exception, string address);

    [LoggerMessage(111, LogLevel.Warning, "The reader of {Peer} has been running a caller's or an endpoint's code for {Elapsed}; a new thread reads the connection meanwhile. Code that blocks (a synchronous wait, a slow endpoint method) should not run on a reader.")]
    public static partial void ReaderTakenOver(ILogger logger, string peer, TimeSpan elapsed);

    [LoggerMessage(112, LogLevel.Warning, "Sends to {Peer} have been held for {Elapsed} by code that does not return (a synchronous wait?); they go out without waiting for it.")]
    public static partial void HoldBroken(ILogger logger, string peer, TimeSpan elapsed);

    [LoggerMessage(113, LogLevel.Error, "The transport watchdog failed checking this service's connections; it goes on.")]
    public static partial void WatchdogFailed(ILogger logger, Exception exception);

    [LoggerMessage(116, LogLevel.Debug, "Call {CallId} {Gateway}.{Method} from {Peer} to endpoint '{Endpoint}' failed ({Status}).")]
    public static partial void InboundFailed(ILogger logger, Exception exception, long callId, string gateway, string method, string peer, string endpoint, string status);

    [LoggerMessage(117, LogLevel.Debug, "Call {CallId} {Gateway}.{Method} to endpoint '{Endpoint}' at {Peer} timed out after {Timeout}.")]
    public static partial void CallTimedOut(ILogger logger, long callId, string gateway, string method, string endpoint, string peer, TimeSpan timeout);

    // Contracts (200–299): what the handshake and the first calls learn of the peer's version of a gateway.
    [LoggerMessage(201, LogLevel.Information, "{Peer} has another, compatible version of {Gateway}: {Differences}")]
    public static partial void ContractCompatible(ILogger logger, string peer, string gateway, string differences);

    [LoggerMessage(202, LogLevel.Warning, "{Peer} has an incompatible version of {Gateway}; calls on it fail: {Problem}")]
    public static partial void ContractIncompatible(ILogger logger, string peer, string gateway, string problem);
}
