using Toolkit.Rpc.Fuzz.Messages;

namespace Toolkit.Rpc.Fuzz;

/// <summary>Ordinary values of every fuzzed message type, from which the seed corpus is written.</summary>
internal static class SampleMessages
{
    public static Scalars Scalars { get; } = new(
        Flag: true,
        Letter: 'é',
        U8: byte.MaxValue,
        I8: sbyte.MinValue,
        I16: short.MinValue,
        U16: ushort.MaxValue,
        I32: int.MinValue,
        U32: uint.MaxValue,
        I64: long.MinValue,
        U64: ulong.MaxValue,
        F16: Half.Epsilon,
        F32: float.MaxValue,
        F64: -0.0,
        Money: 1234.5678m,
        Big: Int128.MinValue,
        UnsignedBig: UInt128.MaxValue,
        Color: SmallColor.Blue,
        Flags: WideFlags.Lowest);

    public static Drawing Drawing { get; } = new(
        "sketch",
        new RoundedSquare(2, 0.5),
        [new Circle(1), null, new Square(3), new RoundedSquare(4, 1), new Triangle(3, 4, 5)]);

    public static Node Node { get; } = new(1, new Node(2, new Node(3, null)));

    /// <summary>A gateway that travels inside a message: a proxy, as a service hands them out.</summary>
    public static IFuzzListenerGateway Listener { get; } =
        FuzzContext.Instance.ResolveGateway<IFuzzListenerGateway>(new RpcEndpointReference("listener-node", "127.0.0.1:7000", "listener"));

    /// <summary>One value per type of <see cref="ValueCodec.All"/> (nullable annotations name the same type).</summary>
    public static IReadOnlyDictionary<Type, object?> ByType { get; } = new Dictionary<Type, object?>
    {
        [typeof(Ping)] = new Ping(1234567890123, 7, Urgent: true),
        [typeof(Scalars)] = Scalars,
        [typeof(Times)] = new Times(
            Guid.Parse("0f8fad5b-d9cb-469f-a165-70867728950e"),
            new DateTime(2024, 2, 29, 23, 59, 59, DateTimeKind.Utc),
            new DateTimeOffset(2024, 2, 29, 23, 59, 59, TimeSpan.FromHours(-14)),
            TimeSpan.FromSeconds(90)),
        [typeof(Nullables)] = new Nullables(5, 0.25, 1.5m, Guid.Empty, null, DateTimeOffset.UnixEpoch, false, SmallColor.Green, null, new Point(-1, 1)),
        [typeof(Text)] = new Text("漢字 and 😀"),
        [typeof(Arrays)] = new Arrays(
            [1, -2, int.MaxValue],
            [0, 1, 255],
            [Guid.Parse("0f8fad5b-d9cb-469f-a165-70867728950e")],
            [true, false, true],
            ["a", null, "", "日本"],
            [new Address("Main St 1", "Springfield"), null, new Address("", null)],
            [[1, 2], [], [3]],
            [0.1m, decimal.MinValue],
            [new DateTime(2000, 1, 1, 0, 0, 0, DateTimeKind.Local)]),
        [typeof(Collections)] = new Collections(
            [long.MinValue, 0, long.MaxValue],
            ["x", null, "ü"],
            [new Address("A", "B")],
            [3, 2, 1],
            ["one", "two"],
            new Dictionary<string, string> { ["k"] = "v", [""] = "empty" },
            new Dictionary<int, Address> { [1] = new Address("One", null), [-7] = new Address("Minus seven", "City") },
            [true, false]),
        [typeof(Blob)] = new Blob(new byte[] { 1, 2, 3, 4 }),
        [typeof(Shape)] = new Triangle(1, 2, 3),
        [typeof(Drawing)] = Drawing,
        [typeof(Node)] = Node,
        [typeof(Tree)] = new Tree { Value = 1, Children = [new Tree { Value = 2, Children = [] }, default] },
        [typeof(Profile)] = new Profile { Name = "Ada", Age = 36, Home = new Address("St James's Square 12", "London") },
        [typeof(Settings)] = new Settings { Name = "retry", Retries = 3, Tags = ["a", "b"] },
        [typeof(Sample)] = new Sample { Count = 2, Label = "origin", Origin = new Point(3, 4) },
        [typeof(Versioned)] = new Versioned(1, "first", 2, [3, 4]),
        [typeof(Catalog)] = new Catalog(
            new Dictionary<string, List<Shape?>> { ["shapes"] = [new Circle(1), null, new Square(2)] },
            new Dictionary<Guid, Node?> { [Guid.Parse("0f8fad5b-d9cb-469f-a165-70867728950e")] = new Node(1, null) },
            [new Dictionary<int, string?> { [1] = "one", [2] = null }, null],
            [new Point(1, 2), null],
            [1, 2, 3],
            [new Tree { Value = 5, Children = null }]),
        [typeof(Subscription)] = new Subscription("prices", Listener, Scalars),
    };
}
