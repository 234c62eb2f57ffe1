namespace Toolkit.Benchmarks.Echo;

/// <summary>The echo-64 message: a call id and a 64-byte opaque payload (docs/performance.md#echo-64).</summary>
public sealed record EchoMessage(long Id, byte[] Payload);

/// <summary>One request/response method that returns its argument: the whole echo-64 contract.</summary>
[RpcGateway]
public interface IEchoGateway
{
    ValueTask<EchoMessage> EchoAsync(EchoMessage message);
}
