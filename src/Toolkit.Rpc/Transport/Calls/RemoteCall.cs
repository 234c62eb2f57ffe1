using System.Buffers;
using Toolkit.Rpc.Calls;
using Toolkit.Rpc.Transport.Protocol;

namespace Toolkit.Rpc.Transport;

/// <summary>
/// A call sent over a connection and awaiting its reply. Exactly one of the reply, the timeout, the caller's
/// cancellation and the connection's loss completes it (<see cref="PendingCall"/>'s compare-and-swap); a reply that
/// arrives after another outcome won finds no call under its id and is dropped.
/// </summary>
/// <remarks>
/// An ask's call is pooled, so the reader and a closing connection name the use they mean by its call id: one that
/// took a call from the connection's table just before another outcome won may reach the item when it already serves
/// a later call, which carries another id.
/// </remarks>
internal abstract class RemoteCall : PendingCall
{
    private RpcConnection? _connection;

    private protected RemoteCall()
    {
    }

    private protected RemoteCall(RpcConnection connection, long callId, RpcCallSite site) => Use(connection, callId, site);

    /// <summary>The connection of the current use.</summary>
    public RpcConnection Connection => _connection!;

    /// <summary>The call id of the current use.</summary>
    public long CallId { get; private set; }

    public RpcCallSite Site { get; private set; }

    /// <summary>Whether the current use already has its outcome.</summary>
    public bool IsDone => !IsPending(Token);

    /// <summary>
    /// The reply to call <paramref name="callId"/> arrived; runs while the connection's reader parses, which must not
    /// run the caller's code. Returns true when the call took the outcome and the reader must <see cref="Publish"/> it,
    /// with the other replies of its read.
    /// </summary>
    public abstract bool OnReply(long callId, ReplyStatus status, in ReadOnlySequence<byte> payload);

    /// <summary>Hands the outcome to the caller: its continuation runs here, inline, unless it awaits on an endpoint.</summary>
    public virtual void Publish()
    {
    }

    /// <summary>
    /// The connection closed before the reply to call <paramref name="callId"/>, or before it could be sent;
    /// <paramref name="reason"/> says why.
    /// </summary>
    public abstract void OnConnectionClosed(long callId, Exception reason);

    /// <summary>Starts a use: its connection, call id and site. A pooled call then publishes the use's token.</summary>
    private protected void Use(RpcConnection? connection, long callId, RpcCallSite site)
    {
        _connection = connection;
        CallId = callId;
        Site = site;
    }

    /// <summary>Turns an error reply to the call at <paramref name="site"/> into the exception the caller sees.</summary>
    /// <param name="site">The call.</param>
    /// <param name="method">The method called, whose declared faults come back as themselves; null for a lookup.</param>
    /// <param name="context">What the reply is read with: the connection's view of the peer's contracts.</param>
    /// <param name="status">The reply's status.</param>
    /// <param name="payload">What follows the status.</param>
    internal static Exception ReadFailure(RpcCallSite site, RpcMethodDescriptor? method, RpcSerializationContext? context, ReplyStatus status, in ReadOnlySequence<byte> payload)
    {
        try
        {
            RpcReader reader = new(payload, context);
            switch (status)
            {
                case ReplyStatus.Exception:
                    string type = reader.ReadString() ?? "System.Exception";
                    string message = reader.ReadString() ?? "";
                    string? stack = reader.ReadString();
                    return ReadFault(ref reader, method, stack) ?? new RpcRemoteException(site, type, message, stack);
                case ReplyStatus.Unavailable:
                    RpcEndpointState state = (RpcEndpointState)reader.ReadUnmanaged<byte>();
                    state = Enum.IsDefined(state) ? state : RpcEndpointState.Stopped;
                    return reader.ReadString() is { Length: > 0 } reason
                        ? new RpcEndpointUnavailableException(site, state, reason)
                        : new RpcEndpointUnavailableException(site, state);
                case ReplyStatus.TooLarge:
                    long size = reader.ReadUnmanaged<long>();
                    int limit = reader.ReadUnmanaged<int>();
                    return new RpcMessageTooLargeException(site, "reply", size, limit);
                case ReplyStatus.Cancelled:
                    return new OperationCanceledException($"Call to {site} was cancelled: {reader.ReadString()}");
                case ReplyStatus.NotFound:
                    return new RpcEndpointNotFoundException(site, reader.ReadString() ?? "the peer found no such endpoint or method");
                case ReplyStatus.Serialization:
                    return new RpcSerializationException(site, reader.ReadString() ?? "the peer could not read or write a message");
                case ReplyStatus.Fenced:
                    long callEpoch = reader.ReadUnmanaged<long>();
                    long endpointEpoch = reader.ReadUnmanaged<long>();
                    return new RpcFencingException(site, FencingToken.ToNullable(callEpoch), FencingToken.ToNullable(endpointEpoch));
                case ReplyStatus.Incompatible:
                    return new RpcContractException(site, reader.ReadString() ?? "the peer's contract for the gateway is incompatible");
                default:
                    return new RpcException(site, $"the peer sent an unknown reply status {(byte)status}");
            }
        }
        catch (RpcSerializationException exception)
        {
            return new RpcSerializationException(site, $"the peer's error reply could not be read: {exception.Message}", exception);
        }
    }

    // A fault the method declares follows the stack: its name and its members. One this side does not declare (the
    // peer's contract is newer) is left unread, and the caller gets the remote exception.
    private static Exception? ReadFault(ref RpcReader reader, RpcMethodDescriptor? method, string? stack)
    {
        if (reader.Remaining == 0 || reader.ReadString() is not { } name || method?.FindFault(name) is not { } fault)
        {
            return null;
        }

        Exception exception = fault.Read(ref reader, stack);
        reader.EnsureFullyConsumed();
        return exception;
    }
}
