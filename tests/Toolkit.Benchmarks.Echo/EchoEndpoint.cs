namespace Toolkit.Benchmarks.Echo;

/// <summary>Answers every call with the message it got, synchronously: the call costs only the runtime and the transport.</summary>
public sealed class EchoEndpoint : RpcEndpoint, IEchoGateway
{
    public ValueTask<EchoMessage> EchoAsync(EchoMessage message) => new(message);
}
