namespace Toolkit.Benchmarks.Echo;

/// <summary>Streams <c>count</c> messages with one shared 64-byte payload, yielding synchronously: the producer costs next to nothing.</summary>
public sealed class ItemStreamEndpoint : RpcEndpoint, IItemStreamGateway
{
    private readonly byte[] _payload = [.. Enumerable.Range(0, 64).Select(i => (byte)i)];

    public async IAsyncEnumerable<EchoMessage> ItemsAsync(int count)
    {
        await Task.Yield();
        for (int i = 0; i < count; i++)
        {
            yield return new EchoMessage(i, _payload);
        }
    }
}
