namespace Toolkit.Rpc.Tests.Serialization;

/// <summary>Fixed values that exercise every member of the rich messages.</summary>
public static class SampleValues
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
        Money: decimal.MaxValue,
        Big: Int128.MinValue,
        UnsignedBig: UInt128.MaxValue,
        Color: SmallColor.Blue,
        Flags: WideFlags.Lowest);

    public static Times Times { get; } = new(
        Guid.Parse("0f8fad5b-d9cb-469f-a165-70867728950e"),
        new DateTime(2024, 2, 29, 23, 59, 59, DateTimeKind.Utc).AddTicks(1234567),
        new DateTimeOffset(2024, 2, 29, 23, 59, 59, TimeSpan.FromHours(-14)),
        TimeSpan.FromTicks(-1));

    public static Nullables Nullables { get; } = new(5, double.NaN, 1.5m, Guid.Empty, DateTime.MaxValue, DateTimeOffset.MinValue, false, SmallColor.Green, long.MinValue, new Point(-1, 1));

    public static Nullables EmptyNullables { get; } = new(null, null, null, null, null, null, null, null, null, null);

    public static Arrays Arrays { get; } = new(
        [1, -2, int.MaxValue],
        [0, 1, 255],
        [Guid.Empty, Guid.Parse("0f8fad5b-d9cb-469f-a165-70867728950e")],
        [true, false, true],
        ["a", null, "", "日本"],
        [new Address("Main St 1", "Springfield"), null, new Address("", null)],
        [[1, 2], [], [3]],
        [0.1m, decimal.MinValue, new decimal(1, 0, 0, false, 28)],
        [DateTime.MinValue, new DateTime(2000, 1, 1, 0, 0, 0, DateTimeKind.Local)]);

    public static Collections Collections { get; } = new(
        [long.MinValue, 0, long.MaxValue],
        ["x", null, "ü"],
        [new Address("A", "B")],
        [3, 2, 1],
        ["one", "two"],
        new Dictionary<string, string> { ["k"] = "v", [""] = "empty", ["😀"] = "emoji" },
        new Dictionary<int, Address> { [1] = new Address("One", null), [-7] = new Address("Minus seven", "City") },
        [true, false]);

    public static Drawing Drawing { get; } = new(
        "sketch",
        new RoundedSquare(2, 0.5),
        [new Circle(1), null, new Square(3), new RoundedSquare(4, 1), new Triangle(3, 4, 5)]);

    public static Profile Profile { get; } = new() { Name = "Ada", Age = 36, Home = new Address("St James's Square 12", "London") };
}
