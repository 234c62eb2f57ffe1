using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Toolkit.Rpc;
using Toolkit.Rpc.Serialization;

namespace Toolkit.Corpus;

/// <summary>Run by the generator tests after loading this corpus: every message crosses the wire and comes back equal.</summary>
public static class Checks
{
    public static Scalars SampleScalars() => new(
        true, 200, -100, -30000, 60000, int.MinValue, uint.MaxValue, long.MinValue, ulong.MaxValue, 1.5f, -2.25, 'ž', 79228162514264337593543950335m,
        "héllo wörld", new Guid("0f8fad5b-d9cb-469f-a165-70867728950e"), new DateTime(2024, 2, 29, 12, 30, 0, DateTimeKind.Utc),
        new DateTimeOffset(2024, 2, 29, 12, 30, 0, TimeSpan.FromHours(5.5)), TimeSpan.FromTicks(123456789), Color.Blue,
        Permissions.Read | Permissions.Write, Wide.Smallest);

    public static Nullables SampleNullables() => new(
        42, Guid.Empty, null, DateTimeOffset.UnixEpoch, TimeSpan.FromMinutes(3), Color.Green, new Span(1, 9), new Ranked("first", 1),
        null, "text");

    public static Arrays SampleArrays() => new(
        [1, 2, 3], [Color.Red, Color.Blue], [true, false, true], [DateTime.UnixEpoch], null, ["a", "", "c"],
        [new Point(1, 2), new Point(3, 4)], [[1], [], [2, 3]], [["x", null], []], [new Span(0, 1)]);

    public static Collections SampleCollections() => new(
        [1, 2], ["one", "two"], [true], [new Point(5, 6)], null, [7L, 8L], [Guid.Empty], new HashSet<string> { "k" },
        new Dictionary<string, int> { ["a"] = 1, ["b"] = 2 }, new Dictionary<Guid, Point> { [Guid.Empty] = new Point(0, 0) },
        new Dictionary<int, List<string>> { [1] = ["x", "y"] }, new Dictionary<Color, Shape?> { [Color.Red] = new Circle(1), [Color.Green] = null },
        new byte[] { 1, 2, 3 }, new byte[] { 4 }, new Dictionary<int, long> { [1] = -1 },
        new Dictionary<byte, DateTimeOffset?> { [0] = DateTimeOffset.UnixEpoch, [255] = null });

    public static Shape SampleShape() => new Group("root", [new Circle(1.5), new Rectangle(2, 3), new Square(4), new Group("empty", [])]);

    public static TreeNode SampleTree() => new("root", [new TreeNode("leaf", []), new TreeNode("branch", [new TreeNode("deep", [])])]);

    public static Chain SampleChain() => new() { Value = 1, Next = new Chain { Value = 2, Next = new Chain { Value = 3 } } };

    /// <summary>Serializes each sample, reads it back and serializes it again: the bytes must match.</summary>
    public static void RoundTripMessages()
    {
        RoundTrip(SampleScalars());
        RoundTrip(SampleNullables());
        RoundTrip(SampleArrays());
        RoundTrip(SampleCollections());
        RoundTrip(SampleShape());
        RoundTrip(SampleTree());
        RoundTrip(SampleChain());
        RoundTrip(new Point(-1, int.MaxValue));
        RoundTrip(new Label { Name = "n", Note = null, Color = Color.Green });
        RoundTrip(new Tagged(Guid.NewGuid(), "tagged") { Version = 3 });
        RoundTrip(new Settings { Retries = 3, Host = "h", Interval = TimeSpan.FromSeconds(1), Tags = ["t"], Counter = 9 });
        RoundTrip(new Vector { X = 1, Y = -1 });
        RoundTrip(new Account("owner", 12.5m));
        RoundTrip<RegistrationResponse>(new RegistrationResponse.Success(Guid.Empty, TimeSpan.FromSeconds(1)));
        RoundTrip<IJobEvent>(new Finished(Guid.Empty, true));
        RoundTrip<IJobEvent>(new Heartbeat(long.MaxValue));
        RoundTrip(new Page<Point>([new Point(1, 1)], 1));
        RoundTrip(new Keywords(1, "e") { @checked = true });
        RoundTrip(new Required { Name = "r", Count = 2 });
        RoundTrip(new Envelope { Version = "v2", Kind = "k", Id = Guid.NewGuid() });

        Expect(RpcSerializer.Deserialize<Shape>(RpcSerializer.Serialize<Shape>(new Square(2))) is Square { Side: 2, Width: 2 }, "a Square read back as a Square");
        Expect(RpcSerializer.Deserialize<Account>(RpcSerializer.Serialize(new Account("o", 7m))).Balance == 7m, "the [RpcConstructor] receives the balance");
        Expect(RpcSerializer.Deserialize<Settings>(RpcSerializer.Serialize(new Settings { Scratch = "x" })).Scratch is null, "[RpcIgnore] members are not sent");
        Expect(RpcSerializer.Deserialize<Scalars>(RpcSerializer.Serialize(SampleScalars())) == SampleScalars(), "scalars read back equal");
        Expect(RpcSerializer.Deserialize<IJobEvent>(RpcSerializer.Serialize<IJobEvent>(new Heartbeat(3))) is Heartbeat { Sequence: 3 }, "a struct union case reads back");
        Expect(RpcSerializer.Deserialize<Keywords>(RpcSerializer.Serialize(new Keywords(1, "e") { @checked = true })) == new Keywords(1, "e") { @checked = true }, "keyword-named members read back");
        Expect(RpcSerializer.Deserialize<Envelope>(RpcSerializer.Serialize(new Envelope { Version = "v2", Kind = "k" })) is { Version: "v2", Kind: "k" }, "the member hiding a base member with 'new' is the one sent");
        Expect(RpcSerializer.Deserialize<Nullables>(RpcSerializer.Serialize(SampleNullables())) == SampleNullables(), "nullables read back equal");
    }

    /// <summary>Calls every gateway method through a service that serializes local calls.</summary>
    public static async Task CallEveryMethodAsync()
    {
        // Time stands still, so no call here can time out however slow the machine is.
        await using RpcService rpc = await RpcService.StartAsync(new RpcServiceOptions { SerializeLocalCalls = true, TimeProvider = new FrozenTime() });
        CorpusEndpoint endpoint = await rpc.StartEndpointAsync(new CorpusEndpoint(), "corpus");
        CallbackEndpoint callback = await rpc.StartEndpointAsync(new CallbackEndpoint(), "callback");
        ICorpusGateway gateway = rpc.GetGateway<ICorpusGateway>("corpus");
        ICallbackGateway callbackGateway = rpc.GetGateway<ICallbackGateway>("callback");
        TimeSpan timeout = TimeSpan.FromMinutes(1);

        await gateway.PingAsync();
        Expect(await gateway.IsHealthyAsync(CancellationToken.None), "IsHealthyAsync");
        await gateway.StoreAsync(new Point(7, 8));
        Expect(endpoint.LastPoint == new Point(7, 8), "the StoreAsync overload taking a point");
        gateway.Tell(new Point(3, 4));
        gateway.Publish("started", 2, Color.Blue);

        // Calls from one caller arrive in order, so the one-way calls above have run once this ask completes.
        await gateway.StoreAsync(new Label { Name = "stored", Color = Color.Red });
        Expect(endpoint.LastPoint == new Point(3, 4), "Tell delivered the point");
        Expect(endpoint.LastEvent == "started/2/Blue", "Publish delivered keyword-named arguments");
        Expect(endpoint.LastLabel == new Label { Name = "stored", Color = Color.Red }, "StoreAsync delivered the label");
        await gateway.ClearAsync(timeout);
        Expect(endpoint.LastPoint is null, "ClearAsync ran");

        Expect(await gateway.EchoScalarsAsync(SampleScalars()) == SampleScalars(), "EchoScalarsAsync");
        Expect(await gateway.EchoNullablesAsync(SampleNullables(), CancellationToken.None) == SampleNullables(), "EchoNullablesAsync");
        SameBytes(SampleArrays(), await gateway.EchoArraysAsync(SampleArrays(), timeout), "EchoArraysAsync");
        SameBytes(SampleCollections(), await gateway.EchoCollectionsAsync(SampleCollections(), timeout, CancellationToken.None), "EchoCollectionsAsync");
        Expect(await gateway.EchoSettingsAsync(null) is null, "EchoSettingsAsync(null)");
        Expect((await gateway.EchoSettingsAsync(new Settings { Host = "h", Counter = 5 }))?.Counter == 5, "EchoSettingsAsync");
        Expect((await gateway.EchoAccountAsync(new Account("a", 1m))).Balance == 1m, "EchoAccountAsync");
        Expect((await gateway.EchoTaggedAsync(new Tagged(Guid.Empty, "t") { Version = 2 })).Version == 2, "EchoTaggedAsync");
        Expect((await gateway.EchoVectorAsync(new Vector { X = 1, Y = 2 })).Y == 2, "EchoVectorAsync");
        Expect(await gateway.EchoSpanAsync(new Span(1, 2)) == new Span(1, 2), "EchoSpanAsync");
        Expect(await gateway.EchoSpanAsync(null) is null, "EchoSpanAsync(null)");
        SameBytes(SampleShape(), await gateway.EchoShapeAsync(SampleShape()), "EchoShapeAsync");
        Expect(await gateway.EchoShapeAsync(null) is null, "EchoShapeAsync(null)");
        IJobEvent[] events = [new Started(Guid.Empty, DateTimeOffset.UnixEpoch), new Finished(Guid.Empty, false)];
        Expect((await gateway.EchoEventsAsync(events)).SequenceEqual(events), "EchoEventsAsync");
        SameBytes(SampleTree(), await gateway.EchoTreeAsync(SampleTree()), "EchoTreeAsync");
        SameBytes(SampleChain(), await gateway.EchoChainAsync(SampleChain()), "EchoChainAsync");
        Expect(await gateway.EchoCountAsync(7) == 7 && await gateway.EchoCountAsync(null) is null, "EchoCountAsync");
        Expect(await gateway.EchoTextAsync("t") == "t" && await gateway.EchoTextAsync(null) is null, "EchoTextAsync");
        Guid id = Guid.NewGuid();
        Expect(await gateway.EchoGuidAsync(id) == id, "EchoGuidAsync");
        Expect(await gateway.EchoOffsetAsync(DateTimeOffset.UnixEpoch) == DateTimeOffset.UnixEpoch, "EchoOffsetAsync");
        Expect((await gateway.EchoBytesAsync(new byte[] { 9, 8 })).Span.SequenceEqual(new byte[] { 9, 8 }), "EchoBytesAsync");
        Expect((await gateway.EchoCountsAsync(new Dictionary<string, int> { ["x"] = 1 }))?["x"] == 1, "EchoCountsAsync");
        Expect((await gateway.EchoIntsAsync([4, 5])).SequenceEqual([4, 5]), "EchoIntsAsync");
        Expect((await gateway.EchoPageAsync(new Page<Point>([new Point(1, 2)], 1))).Items.SequenceEqual([new Point(1, 2)]), "EchoPageAsync");
        Expect(await gateway.EchoKeywordsAsync(new Keywords(3, "e")) == new Keywords(3, "e"), "EchoKeywordsAsync");
        Expect((await gateway.EchoRequiredAsync(new Required { Name = "n" })).Name == "n", "EchoRequiredAsync");
        Expect((await gateway.EchoEnvelopeAsync(new Envelope { Version = "v3" })).Version == "v3", "EchoEnvelopeAsync");

        RegistrationResponse response = await gateway.RegisterAsync(new Registration("worker", callbackGateway, null));
        Expect(response is RegistrationResponse.Success, "RegisterAsync answers Success");
        Expect(callback.Messages.SequenceEqual(["welcome worker"]), "the gateway inside the message was called back");
        ICallbackGateway? echoed = await gateway.EchoCallbackAsync(callbackGateway);
        Expect(echoed is not null && await echoed.NotifyAsync("again") == "ok:again", "a returned gateway is callable");
    }

    private sealed class FrozenTime : TimeProvider
    {
        public override long GetTimestamp() => 0;
    }

    private static void RoundTrip<T>(T value) => SameBytes(value, RpcSerializer.Deserialize<T>(RpcSerializer.Serialize(value)), typeof(T).Name);

    private static void SameBytes<T>(T expected, T actual, string what) =>
        Expect(RpcSerializer.Serialize(expected).AsSpan().SequenceEqual(RpcSerializer.Serialize(actual)), what + " round-trips byte for byte");

    private static void Expect(bool condition, string what)
    {
        if (!condition)
        {
            throw new InvalidOperationException("Check failed: " + what);
        }
    }
}
