namespace Toolkit.Rpc.Fuzz.Messages;

/// <summary>
/// Echoes every message shape. The generator emits serializers for all of them and a dispatch table for
/// <see cref="FuzzEndpoint"/>; the frame target sends requests through that table, the value target reads the shapes
/// directly.
/// </summary>
[RpcGateway]
public interface IFuzzGateway
{
    Task<Ping> EchoPingAsync(Ping value);

    Task<Scalars> EchoScalarsAsync(Scalars value);

    Task<Times> EchoTimesAsync(Times value);

    Task<Nullables> EchoNullablesAsync(Nullables value);

    Task<Text> EchoTextAsync(Text value);

    ValueTask<Arrays> EchoArraysAsync(Arrays value);

    ValueTask<Collections> EchoCollectionsAsync(Collections value);

    Task<Blob> EchoBlobAsync(Blob value);

    Task<Shape?> EchoShapeAsync(Shape? value);

    Task<Drawing> EchoDrawingAsync(Drawing value);

    Task<Node?> EchoNodeAsync(Node? value);

    Task<Tree> EchoTreeAsync(Tree value);

    Task<Profile> EchoProfileAsync(Profile value);

    Task<Settings?> EchoSettingsAsync(Settings? value);

    Task<Sample> EchoSampleAsync(Sample value);

    Task<Versioned> EchoVersionedAsync(Versioned value);

    Task<Catalog?> EchoCatalogAsync(Catalog? value);

    Task<string?> EchoStringAsync(string? value);

    Task<Dictionary<string, Address>?> EchoMapAsync(Dictionary<string, Address>? value);

    Task<List<Shape?>?> EchoLayersAsync(List<Shape?>? value);

    Task<Subscription> EchoSubscriptionAsync(Subscription value);

    /// <summary>Several arguments, a timeout parameter (not sent) and a cancellation token.</summary>
    Task<int> CountAsync(string? text, int number, List<Shape?>? shapes, [RpcTimeout] TimeSpan timeout, CancellationToken cancellation);

    /// <summary>A one-way call.</summary>
    void Note(Ping ping);

    /// <summary>No arguments, no result.</summary>
    Task PokeAsync();
}

/// <summary>The gateway that <see cref="Subscription"/> carries.</summary>
[RpcGateway]
public interface IFuzzListenerGateway
{
    void Notify(string topic, Scalars payload);
}
