namespace Toolkit.Rpc.Tests.Serialization;

/// <summary>Echoes every rich message back, so that a round trip through the dispatch table can be compared.</summary>
public sealed class RichEndpoint : RpcEndpoint, IRichGateway
{
    public Task<Ping> EchoPingAsync(Ping value) => Task.FromResult(value);

    public Task<Scalars> EchoScalarsAsync(Scalars value) => Task.FromResult(value);

    public Task<Times> EchoTimesAsync(Times value) => Task.FromResult(value);

    public Task<Nullables> EchoNullablesAsync(Nullables value) => Task.FromResult(value);

    public Task<Text> EchoTextAsync(Text value) => Task.FromResult(value);

    public ValueTask<Arrays> EchoArraysAsync(Arrays value) => new(value);

    public ValueTask<Collections> EchoCollectionsAsync(Collections value) => new(value);

    public Task<Blob> EchoBlobAsync(Blob value) => Task.FromResult(value);

    public Task<Shape?> EchoShapeAsync(Shape? value) => Task.FromResult(value);

    public Task<Drawing> EchoDrawingAsync(Drawing value) => Task.FromResult(value);

    public Task<Node?> EchoNodeAsync(Node? value) => Task.FromResult(value);

    public Task<Tree> EchoTreeAsync(Tree value) => Task.FromResult(value);

    public Task<Profile> EchoProfileAsync(Profile value) => Task.FromResult(value);

    public Task<Settings?> EchoSettingsAsync(Settings? value) => Task.FromResult(value);

    public Task<Sample> EchoSampleAsync(Sample value) => Task.FromResult(value);

    public Task<Versioned> EchoVersionedAsync(Versioned value) => Task.FromResult(value);

    public Task<string?> EchoStringAsync(string? value) => Task.FromResult(value);

    public Task<Dictionary<string, Address>?> EchoMapAsync(Dictionary<string, Address>? value) => Task.FromResult(value);

    public Task<Ledger> EchoLedgerAsync(Ledger value) => Task.FromResult(value);

    public Task<Readings> EchoReadingsAsync(Readings value) => Task.FromResult(value);

    public async Task<int> SubscribeAsync(Subscription subscription)
    {
        Scalars answer = await subscription.Listener.NotifyAsync(subscription.Topic, subscription.Payload);
        return answer == subscription.Payload ? subscription.Topic.Length : -1;
    }
}
