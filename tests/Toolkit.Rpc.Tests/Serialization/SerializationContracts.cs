namespace Toolkit.Rpc.Tests.Serialization;

// Everything reachable from these two gateways gets a generated serializer; the tests use both the
// serializers directly (RpcSerializer) and the generated dispatch tables (through an RpcService).

[RpcGateway]
public interface IRichGateway
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

    Task<string?> EchoStringAsync(string? value);

    Task<Dictionary<string, Address>?> EchoMapAsync(Dictionary<string, Address>? value);

    Task<Ledger> EchoLedgerAsync(Ledger value);

    Task<Readings> EchoReadingsAsync(Readings value);

    Task<int> SubscribeAsync(Subscription subscription);
}

[RpcGateway]
public interface IListenerGateway
{
    Task<Scalars> NotifyAsync(string topic, Scalars payload);

    Task<int> SubscribeToAsync(IRichGateway rich, string topic);
}

public enum SmallColor : byte
{
    Red = 1,
    Green = 2,
    Blue = 255,
}

public enum WideFlags : long
{
    None = 0,
    Lowest = long.MinValue,
    Highest = long.MaxValue,
}

public sealed record Ping(long Id, int Slot, bool Urgent);

public sealed record Scalars(
    bool Flag,
    char Letter,
    byte U8,
    sbyte I8,
    short I16,
    ushort U16,
    int I32,
    uint U32,
    long I64,
    ulong U64,
    Half F16,
    float F32,
    double F64,
    decimal Money,
    Int128 Big,
    UInt128 UnsignedBig,
    SmallColor Color,
    WideFlags Flags);

public sealed record Times(Guid Id, DateTime At, DateTimeOffset Offset, TimeSpan Span);

public readonly record struct Point(int X, int Y);

public sealed record Nullables(
    int? Count,
    double? Ratio,
    decimal? Money,
    Guid? Id,
    DateTime? At,
    DateTimeOffset? Offset,
    bool? Flag,
    SmallColor? Color,
    long? Big,
    Point? Where);

public sealed record Text(string? Value);

public sealed record Address(string Street, string? City);

public sealed record Arrays(
    int[]? Ints,
    byte[]? Bytes,
    Guid[]? Ids,
    bool[]? Flags,
    string?[]? Names,
    Address?[]? Addresses,
    int[][]? Jagged,
    decimal[]? Money,
    DateTime[]? Times);

public sealed record Collections(
    List<long>? Longs,
    List<string?>? Names,
    List<Address>? Addresses,
    IReadOnlyList<int>? ReadOnlyInts,
    HashSet<string>? Set,
    Dictionary<string, string>? Map,
    IReadOnlyDictionary<int, Address>? ById,
    List<bool>? Flags);

public sealed record Blob(ReadOnlyMemory<byte> Data);

[RpcUnion(0, typeof(Circle))]
[RpcUnion(1, typeof(Square))]
[RpcUnion(2, typeof(RoundedSquare))]
[RpcUnion(300, typeof(Triangle))]
public abstract record Shape;

public sealed record Circle(double Radius) : Shape;

public record Square(double Side) : Shape;

public sealed record RoundedSquare(double Side, double Corner) : Square(Side);

public sealed record Triangle(double A, double B, double C) : Shape;

public sealed record Drawing(string Name, Shape? Main, List<Shape?>? Layers);

public sealed record Node(int Value, Node? Next);

public struct Tree
{
    public int Value;
    public Tree[]? Children;
}

public sealed record Profile
{
    public required string Name { get; init; }

    public int Age { get; init; }

    public Address? Home { get; init; }
}

public sealed class Settings
{
    public string? Name { get; set; }

    public int Retries { get; set; }

    public List<string>? Tags { get; set; }
}

public struct Sample
{
    public int Count;
    public string? Label;
    public Point Origin;
}

public sealed record Versioned(int Id, string? Name, long Added, List<int>? AddedList);

public sealed record Subscription(string Topic, IListenerGateway Listener, Scalars Payload);

public sealed record Ledger(Dictionary<int, long>? Balances, Dictionary<byte, DateTimeOffset?>? Seen)
{
    public int Accounts => Balances?.Count ?? 0;
}

public sealed record Readings(int?[]? Values, List<DateTimeOffset?>? Times);
