using MemoryPack;

namespace Toolkit.Rpc.MemoryPack.Tests;

// Every shape is declared once, with both attributes: [MemoryPackable] (and [MemoryPackUnion] beside [RpcUnion]) for
// MemoryPack's generator, and reachability from IShapesGateway for Toolkit's. The two generators each see the same
// declaration, so the members, their order and the constructor cannot drift apart as twins could, and a value read
// back by either side is compared with the very value that was written.

[RpcGateway]
public interface IShapesGateway
{
    Task<Scalars> ScalarsAsync(Scalars value);

    Task<Texts> TextsAsync(Texts value);

    Task<Arrays> ArraysAsync(Arrays value);

    Task<Lists> ListsAsync(Lists value);

    Task<Sets> SetsAsync(Sets value);

    Task<Maps> MapsAsync(Maps value);

    Task<Nullables> NullablesAsync(Nullables value);

    Task<Times> TimesAsync(Times value);

    Task<Blob> BlobAsync(Blob value);

    Task<Shape?> ShapeAsync(Shape? value);

    Task<IJobEvent?> JobEventAsync(IJobEvent? value);

    Task<Drawing> DrawingAsync(Drawing value);

    Task<Node?> NodeAsync(Node? value);

    Task<TreeNode> TreeAsync(TreeNode value);

    Task<Holder> HolderAsync(Holder value);

    Task<Person> PersonAsync(Person value);

    Task<Settings?> SettingsAsync(Settings? value);

    Task<Order> OrderAsync(Order value);

    Task<Coordinates> CoordinatesAsync(Coordinates value);

    Task<Gauges> GaugesAsync(Gauges value);
}

public enum Color : byte
{
    Red = 1,
    Green = 2,
    Blue = 255,
}

public enum Priority
{
    Low = -1,
    Normal = 0,
    High = 1,
}

public enum Wide : long
{
    Smallest = long.MinValue,
    Largest = long.MaxValue,
}

[MemoryPackable]
public sealed partial record Scalars(
    bool Flag,
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
    char Letter,
    decimal Money,
    Int128 Big,
    UInt128 UnsignedBig,
    Guid Id,
    Color Color,
    Priority Priority,
    Wide Wide);

[MemoryPackable]
public sealed partial record Texts(string? Maybe, string Always, string? Long);

[MemoryPackable]
public sealed partial record Address(string Street, string? City);

[MemoryPackable]
public sealed partial record Arrays(
    int[]? Ints,
    byte[]? Bytes,
    Guid[]? Ids,
    bool[]? Flags,
    string?[]? Names,
    decimal[]? Money,
    DateTime[]? Times,
    DateTimeOffset[]? Offsets,
    Color[]? Colors,
    int[][]? Jagged,
    Address?[]? Addresses,
    int?[]? Sparse);

[MemoryPackable]
public sealed partial record Lists(
    List<long>? Longs,
    List<string?>? Names,
    List<Address?>? Addresses,
    IReadOnlyList<int>? ReadOnlyInts,
    IList<string>? Labels,
    List<bool>? Flags,
    List<double?>? Readings);

[MemoryPackable]
public sealed partial record Sets(HashSet<int>? Ints, HashSet<string>? Names, ISet<Guid>? Ids);

[MemoryPackable]
public sealed partial record Maps(
    Dictionary<string, string>? Labels,
    Dictionary<int, long>? IntToLong,
    Dictionary<long, int>? LongToInt,
    Dictionary<byte, Int128>? ByteToBig,
    Dictionary<Guid, bool>? Flags,
    Dictionary<int, int?>? Optional,
    Dictionary<byte, long?>? Sparse,
    Dictionary<int, DateTimeOffset>? Seen,
    Dictionary<short, DateTimeOffset?>? MaybeSeen,
    Dictionary<Color, string>? ColorNames,
    IReadOnlyDictionary<int, Address>? ById,
    IDictionary<string, List<int>>? Groups);

[MemoryPackable]
public sealed partial record Nullables(
    int? Count,
    long? Big,
    double? Ratio,
    decimal? Money,
    Guid? Id,
    bool? Flag,
    char? Letter,
    Half? Small,
    Int128? Huge,
    Color? Color,
    Wide? Wide,
    DateTime? At,
    TimeSpan? Elapsed,
    DateOnly? Day,
    TimeOnly? Time,
    DateTimeOffset? Offset);

[MemoryPackable]
public sealed partial record Times(DateTime At, DateTimeOffset Offset, TimeSpan Elapsed, DateOnly Day, TimeOnly Time, DateTimeOffset? Maybe);

[MemoryPackable]
public sealed partial record Blob(ReadOnlyMemory<byte> Data, Memory<byte> Scratch, byte[]? Raw);

[MemoryPackable]
[MemoryPackUnion(0, typeof(Circle))]
[MemoryPackUnion(1, typeof(Square))]
[MemoryPackUnion(2, typeof(RoundedSquare))]
[MemoryPackUnion(300, typeof(Polygon))]
[RpcUnion(0, typeof(Circle))]
[RpcUnion(1, typeof(Square))]
[RpcUnion(2, typeof(RoundedSquare))]
[RpcUnion(300, typeof(Polygon))]
public abstract partial record Shape;

[MemoryPackable]
public sealed partial record Circle(double Radius) : Shape;

[MemoryPackable]
public partial record Square(double Side) : Shape;

[MemoryPackable]
public sealed partial record RoundedSquare(double Side, double Corner) : Square(Side);

[MemoryPackable]
public sealed partial record Polygon(string Name, List<Shape?> Parts) : Shape;

[MemoryPackable]
[MemoryPackUnion(0, typeof(Started))]
[MemoryPackUnion(1, typeof(Finished))]
[RpcUnion(0, typeof(Started))]
[RpcUnion(1, typeof(Finished))]
public partial interface IJobEvent;

[MemoryPackable]
public sealed partial record Started(Guid Job, DateTimeOffset At) : IJobEvent;

[MemoryPackable]
public sealed partial record Finished(Guid Job, bool Succeeded, string? Error) : IJobEvent;

[MemoryPackable]
public sealed partial record Drawing(string Name, Shape? Main, List<Shape?>? Layers, IJobEvent? LastEvent);

[MemoryPackable]
public sealed partial record Node(int Value, Node? Next);

[MemoryPackable]
public sealed partial record TreeNode(string Name, List<TreeNode> Children);

/// <summary>A struct that holds a reference, so MemoryPack writes it (and its nullable) as an object, not a memory image.</summary>
[MemoryPackable]
public partial struct Labelled
{
    public int Id;

    public string? Name;
}

[MemoryPackable]
public sealed partial record Holder(Labelled Value, Labelled? Maybe, List<Labelled?>? Many);

/// <summary>Get-only members that no constructor parameter sets: both sides write them and skip them when reading.</summary>
[MemoryPackable]
public sealed partial record Person(string First, string Last)
{
    public string Full => $"{First} {Last}";

    public int Age { get; init; }

    public int Initials => (First.Length > 0 ? 1 : 0) + (Last.Length > 0 ? 1 : 0);

    public DateTimeOffset Since => DateTimeOffset.UnixEpoch.AddDays(Age % 1000);
}

[MemoryPackable]
public sealed partial class Settings
{
    public string? Name { get; set; }

    public int Retries { get; set; }

    public List<string>? Tags { get; set; }

    public long Counter;

    public bool HasTags => Tags is { Count: > 0 };
}

[MemoryPackable]
public sealed partial record Line(string Sku, int Quantity, decimal Price);

[MemoryPackable]
public sealed partial record Order(
    Guid Id,
    Address ShipTo,
    List<Line> Lines,
    Dictionary<string, decimal> Totals,
    Shape? Package,
    Node? Route,
    Holder? Extra);

// The deliberate deviations (DeviationTests): structs without references, which MemoryPack copies as memory
// images, and members whose memory padding MemoryPack copies as it finds it.

[MemoryPackable]
public readonly partial record struct Point(int X, int Y);

/// <summary>An unmanaged struct with 7 bytes of padding after A.</summary>
[MemoryPackable]
public partial struct Padded
{
    public byte A;

    public long B;
}

[MemoryPackable]
public sealed partial record Coordinates(Point Where, Padded Packed, Point? Maybe, Dictionary<int, Point>? Named);

/// <summary>Raw values whose memory layout has padding, as public fields so that a test can write into it.</summary>
[MemoryPackable]
public sealed partial class Gauges
{
    public int? Count;

    public DateTimeOffset At;

    public DateTimeOffset? Seen;

    public long? Total;
}
