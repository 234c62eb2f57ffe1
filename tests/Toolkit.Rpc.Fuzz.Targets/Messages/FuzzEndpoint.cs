namespace Toolkit.Rpc.Fuzz.Messages;

/// <summary>
/// Answers every call at once with what it was given, so that the frame target runs each decoded request through the
/// generated dispatch table to its reply. It is never started: the target calls the table as the endpoint's main
/// thread would.
/// </summary>
public sealed class FuzzEndpoint : RpcEndpoint, IFuzzGateway, IFuzzListenerGateway
{
    /// <summary>The calls that reached a method: their arguments were read.</summary>
    public int Calls { get; private set; }

    public Task<Ping> EchoPingAsync(Ping value) => Task.FromResult(Echo(value));

    public Task<Scalars> EchoScalarsAsync(Scalars value) => Task.FromResult(Echo(value));

    public Task<Times> EchoTimesAsync(Times value) => Task.FromResult(Echo(value));

    public Task<Nullables> EchoNullablesAsync(Nullables value) => Task.FromResult(Echo(value));

    public Task<Text> EchoTextAsync(Text value) => Task.FromResult(Echo(value));

    public ValueTask<Arrays> EchoArraysAsync(Arrays value) => ValueTask.FromResult(Echo(value));

    public ValueTask<Collections> EchoCollectionsAsync(Collections value) => ValueTask.FromResult(Echo(value));

    public Task<Blob> EchoBlobAsync(Blob value) => Task.FromResult(Echo(value));

    public Task<Shape?> EchoShapeAsync(Shape? value) => Task.FromResult(Echo(value));

    public Task<Drawing> EchoDrawingAsync(Drawing value) => Task.FromResult(Echo(value));

    public Task<Node?> EchoNodeAsync(Node? value) => Task.FromResult(Echo(value));

    public Task<Tree> EchoTreeAsync(Tree value) => Task.FromResult(Echo(value));

    public Task<Profile> EchoProfileAsync(Profile value) => Task.FromResult(Echo(value));

    public Task<Settings?> EchoSettingsAsync(Settings? value) => Task.FromResult(Echo(value));

    public Task<Sample> EchoSampleAsync(Sample value) => Task.FromResult(Echo(value));

    public Task<Versioned> EchoVersionedAsync(Versioned value) => Task.FromResult(Echo(value));

    public Task<Catalog?> EchoCatalogAsync(Catalog? value) => Task.FromResult(Echo(value));

    public Task<string?> EchoStringAsync(string? value) => Task.FromResult(Echo(value));

    public Task<Dictionary<string, Address>?> EchoMapAsync(Dictionary<string, Address>? value) => Task.FromResult(Echo(value));

    public Task<List<Shape?>?> EchoLayersAsync(List<Shape?>? value) => Task.FromResult(Echo(value));

    public Task<Subscription> EchoSubscriptionAsync(Subscription value) => Task.FromResult(Echo(value));

    public Task<int> CountAsync(string? text, int number, List<Shape?>? shapes, TimeSpan timeout, CancellationToken cancellation) =>
        Task.FromResult(Echo((text?.Length ?? 0) + number + (shapes?.Count ?? 0)));

    public void Note(Ping ping) => Echo(ping);

    public Task PokeAsync()
    {
        Echo(0);
        return Task.CompletedTask;
    }

    public void Notify(string topic, Scalars payload) => Echo(payload);

    private T Echo<T>(T value)
    {
        Calls++;
        return value;
    }
}
