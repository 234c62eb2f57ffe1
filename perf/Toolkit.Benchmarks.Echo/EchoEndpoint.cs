namespace Toolkit.Benchmarks.Echo;

/// <summary>Answers every call with the message it got, synchronously: the call costs only the runtime and the transport.</summary>
public sealed class EchoEndpoint : RpcEndpoint, IEchoGateway
{
    private long _calls;

    /// <summary>Calls answered so far; the server reports it, with its allocations, when it stops.</summary>
    public long Calls => Volatile.Read(ref _calls);

    public ValueTask<EchoMessage> EchoAsync(EchoMessage message)
    {
        // Only the endpoint's main thread writes it: a plain increment, published for the reader at shutdown.
        Volatile.Write(ref _calls, _calls + 1);
        return new(message);
    }
}
