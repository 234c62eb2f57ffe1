namespace Toolkit.Rpc.Tests.Serialization;

/// <summary>
/// Calls between endpoints of one service, forced through the generated serializers and dispatch tables, so
/// that every argument and result crosses the wire format as a remote call's would.
/// </summary>
public sealed class SerializedCallTests : IAsyncLifetime
{
    private RpcService _rpc = null!;
    private ListenerEndpoint _listener = null!;
    private IRichGateway _rich = null!;

    public async Task InitializeAsync()
    {
        _rpc = await RpcService.StartAsync(new RpcServiceOptions { SerializeLocalCalls = true });
        await _rpc.StartEndpointAsync(new RichEndpoint(), "rich");
        _listener = await _rpc.StartEndpointAsync(new ListenerEndpoint(), "listener");
        _rich = _rpc.GetGateway<IRichGateway>("rich");
    }

    public async Task DisposeAsync() => await _rpc.DisposeAsync();

    [Fact]
    public async Task Rich_messages_round_trip_through_the_dispatch_table()
    {
        StructuralEquality.AssertEqual(new Ping(1, 2, true), await _rich.EchoPingAsync(new Ping(1, 2, true)));
        StructuralEquality.AssertEqual(SampleValues.Scalars, await _rich.EchoScalarsAsync(SampleValues.Scalars));
        StructuralEquality.AssertEqual(SampleValues.Times, await _rich.EchoTimesAsync(SampleValues.Times));
        StructuralEquality.AssertEqual(SampleValues.Nullables, await _rich.EchoNullablesAsync(SampleValues.Nullables));
        StructuralEquality.AssertEqual(SampleValues.Arrays, await _rich.EchoArraysAsync(SampleValues.Arrays));
        StructuralEquality.AssertEqual(SampleValues.Collections, await _rich.EchoCollectionsAsync(SampleValues.Collections));
        StructuralEquality.AssertEqual(SampleValues.Drawing, await _rich.EchoDrawingAsync(SampleValues.Drawing));
        StructuralEquality.AssertEqual(SampleValues.Profile, await _rich.EchoProfileAsync(SampleValues.Profile));
    }

    [Fact]
    public async Task Results_are_copies_not_the_arguments_themselves()
    {
        Arrays copy = await _rich.EchoArraysAsync(SampleValues.Arrays);

        Assert.NotSame(SampleValues.Arrays, copy);
        Assert.NotSame(SampleValues.Arrays.Ints, copy.Ints);
    }

    [Fact]
    public async Task Strings_nulls_unions_and_top_level_collections_round_trip_as_arguments_and_results()
    {
        Assert.Equal("a\uD800b", await _rich.EchoStringAsync("a\uD800b"));
        Assert.Null(await _rich.EchoStringAsync(null));
        Assert.Equal("", await _rich.EchoStringAsync(""));
        Assert.Null(await _rich.EchoShapeAsync(null));
        Assert.IsType<RoundedSquare>(await _rich.EchoShapeAsync(new RoundedSquare(1, 2)));
        Assert.Null(await _rich.EchoSettingsAsync(null));
        Assert.Null(await _rich.EchoMapAsync(null));
        Dictionary<string, Address> map = new() { ["home"] = new Address("1 Main", null), ["日本"] = new Address("2", "東京") };
        StructuralEquality.AssertEqual(map, await _rich.EchoMapAsync(map));
    }

    [Fact]
    public async Task Structs_blobs_and_recursive_values_round_trip()
    {
        Sample sample = new() { Count = 9, Label = "x", Origin = new Point(1, 2) };
        StructuralEquality.AssertEqual(sample, await _rich.EchoSampleAsync(sample));
        byte[] data = new byte[64 * 1024];
        new Random(64).NextBytes(data);
        StructuralEquality.AssertEqual(new Blob(data), await _rich.EchoBlobAsync(new Blob(data)));
        Node list = new(1, new Node(2, new Node(3, null)));
        Assert.Equal(list, await _rich.EchoNodeAsync(list));
        Tree tree = new RandomValues(new Random(3)).Tree(depth: 3);
        StructuralEquality.AssertEqual(tree, await _rich.EchoTreeAsync(tree));
    }

    [Fact]
    public async Task Random_messages_round_trip_through_the_dispatch_table()
    {
        int seed = PropertyTests.Seed();
        RandomValues values = new(new Random(seed));
        for (int i = 0; i < 100; i++)
        {
            string context = $"#{i} from seed {seed} (rerun with TOOLKIT_SERIALIZATION_SEED={seed})";
            Collections collections = values.Collections();
            StructuralEquality.AssertEqual(collections, await _rich.EchoCollectionsAsync(collections), context);
            Drawing drawing = values.Drawing();
            StructuralEquality.AssertEqual(drawing, await _rich.EchoDrawingAsync(drawing), context);
            Nullables nullables = values.Nullables();
            StructuralEquality.AssertEqual(nullables, await _rich.EchoNullablesAsync(nullables), context);
        }
    }

    [Fact]
    public async Task A_value_the_writer_rejects_fails_the_call_with_a_serialization_error()
    {
        Node? deep = null;
        for (int i = 0; i < 300; i++)
        {
            deep = new Node(i, deep);
        }

        RpcSerializationException exception = await Assert.ThrowsAsync<RpcSerializationException>(() => _rich.EchoNodeAsync(deep));

        Assert.Contains(nameof(IRichGateway.EchoNodeAsync), exception.Message, StringComparison.Ordinal);
        Assert.Contains("deeper than", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_gateway_inside_a_message_is_called_back_by_the_receiver()
    {
        IListenerGateway listener = _rpc.GetGateway<IListenerGateway>("listener");

        int answer = await _rich.SubscribeAsync(new Subscription("prices", listener, SampleValues.Scalars));

        Assert.Equal("prices".Length, answer);
        Assert.Equal(["prices"], _listener.Topics);
    }

    [Fact]
    public async Task An_endpoint_hands_out_its_own_gateway_and_is_called_back_while_it_awaits()
    {
        IListenerGateway listener = _rpc.GetGateway<IListenerGateway>("listener");

        int answer = await listener.SubscribeToAsync(_rich, "weather");

        Assert.Equal("weather".Length, answer);
        Assert.Equal(["weather"], _listener.Topics);
    }
}
