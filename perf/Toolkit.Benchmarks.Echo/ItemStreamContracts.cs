namespace Toolkit.Benchmarks.Echo;

/// <summary>The item-stream workload: one method streaming echo-64 messages (an id and a 64-byte payload).</summary>
[RpcGateway]
public interface IItemStreamGateway
{
    IAsyncEnumerable<EchoMessage> ItemsAsync(int count);
}
