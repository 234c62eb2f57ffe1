using System.Buffers;
using Toolkit.Rpc.Transport.Protocol;

namespace Toolkit.Rpc.Transport;

/// <summary>The lookup that <see cref="RpcService.ConnectAsync{TGateway}(string, CancellationToken)"/> sends: does the endpoint exist and implement the gateway?</summary>
internal sealed class LookupCall : RemoteCall
{
    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public LookupCall(RpcConnection connection, long callId, RpcCallSite site)
        : base(connection, callId, site)
    {
        BeginTracking(long.MaxValue);
    }

    public Task Task => _completion.Task;

    protected override bool IsPooled => false;

    public override bool OnReply(long callId, ReplyStatus status, in ReadOnlySequence<byte> payload)
    {
        if (!TryComplete(Token))
        {
            return false;
        }

        if (status == ReplyStatus.Ok)
        {
            _completion.TrySetResult();
            return false;
        }

        if (status == ReplyStatus.NotFound)
        {
            string? problem = null;
            try
            {
                RpcReader reader = new(payload);
                problem = reader.ReadString();
            }
            catch (RpcSerializationException)
            {
                // Reported below without the peer's explanation.
            }

            _completion.TrySetException(new RpcEndpointNotFoundException(
                $"Cannot connect a {Site.Gateway} gateway to {Site.Address}/{Site.Endpoint}: {problem ?? "the peer refused the lookup"}."));
            return false;
        }

        _completion.TrySetException(ReadFailure(Site, null, Connection.Contracts, status, payload));
        return false;
    }

    public override void OnConnectionClosed(long callId, Exception reason)
    {
        if (TryComplete(Token))
        {
            _completion.TrySetException(new RpcConnectionException(Site, reason.Message, reason));
        }
    }

    /// <summary>Gives up waiting (timeout or cancellation): forgets the call so that its slot is freed.</summary>
    public void GiveUp()
    {
        if (TryComplete(Token))
        {
            Connection.Forget(this, sendCancel: false);
        }
    }

    protected internal override void OnTimedOut()
    {
    }
}
