using System;
using System.Collections.Generic;
using Toolkit.Rpc;

namespace Toolkit.Corpus;

public enum Color
{
    Red,
    Green,
    Blue,
}

[Flags]
public enum Permissions : byte
{
    None = 0,
    Read = 1,
    Write = 2,
}

public enum Wide : long
{
    Smallest = long.MinValue,
    Largest = long.MaxValue,
}

public sealed record Point(int X, int Y);

public sealed record Label
{
    public string Name { get; init; } = "";

    public string? Note { get; init; }

    public Color Color { get; init; }
}

public sealed record Tagged(Guid Id, string Name)
{
    public int Version { get; init; }

    public int NameLength => Name.Length;
}

public sealed class Settings
{
    public int Retries { get; set; }

    public string? Host { get; set; }

    public TimeSpan Interval { get; set; }

    public List<string>? Tags { get; set; }

    public long Counter;

    [RpcIgnore]
    public object? Scratch { get; set; }
}

public struct Vector
{
    public double X;

    public double Y;
}

public readonly record struct Span(int Start, int End);

public record struct Ranked(string Name, int Rank);

public sealed class Account
{
    public Account(string owner)
        : this(owner, 0m)
    {
    }

    [RpcConstructor]
    public Account(string owner, decimal balance)
    {
        Owner = owner;
        Balance = balance;
    }

    public string Owner { get; }

    public decimal Balance { get; }
}

public sealed record Scalars(
    bool Flag,
    byte Byte,
    sbyte SignedByte,
    short Short,
    ushort UnsignedShort,
    int Int,
    uint UnsignedInt,
    long Long,
    ulong UnsignedLong,
    float Single,
    double Double,
    char Char,
    decimal Decimal,
    string? Text,
    Guid Id,
    DateTime At,
    DateTimeOffset Offset,
    TimeSpan Elapsed,
    Color Color,
    Permissions Permissions,
    Wide Wide);

public sealed record Nullables(
    int? Count,
    Guid? Id,
    DateTime? At,
    DateTimeOffset? Offset,
    TimeSpan? Elapsed,
    Color? Color,
    Span? Span,
    Ranked? Ranked,
    Vector? Vector,
    string? Text);

public sealed record Arrays(
    int[] Raw,
    Color[] Colors,
    bool[] Flags,
    DateTime[] Times,
    decimal[]? Amounts,
    string[] Texts,
    Point[] Points,
    int[][] Jagged,
    string?[][] JaggedTexts,
    Span[] Spans);

public sealed record Collections(
    List<int> Ints,
    List<string> Strings,
    List<bool> Flags,
    IReadOnlyList<Point> Points,
    IList<string>? Names,
    IReadOnlyCollection<long> Longs,
    HashSet<Guid> Ids,
    ISet<string> Keys,
    Dictionary<string, int> Counts,
    IReadOnlyDictionary<Guid, Point> ById,
    IDictionary<int, List<string>> Nested,
    Dictionary<Color, Shape?> ShapesByColor,
    ReadOnlyMemory<byte> Payload,
    Memory<byte> Buffer,
    Dictionary<int, long> Offsets,
    Dictionary<byte, DateTimeOffset?> SeenByShard);

[RpcUnion(0, typeof(Circle))]
[RpcUnion(1, typeof(Rectangle))]
[RpcUnion(2, typeof(Square))]
[RpcUnion(300, typeof(Group))]
public abstract record Shape;

public sealed record Circle(double Radius) : Shape;

public record Rectangle(double Width, double Height) : Shape;

public sealed record Square(double Side) : Rectangle(Side, Side);

public sealed record Group(string Name, IReadOnlyList<Shape> Children) : Shape;

[RpcUnion(0, typeof(Success))]
[RpcUnion(1, typeof(Decline))]
public abstract record RegistrationResponse
{
    public sealed record Success(Guid RegistrationId, TimeSpan HeartbeatInterval) : RegistrationResponse;

    public sealed record Decline(string Reason) : RegistrationResponse;
}

[RpcUnion(0, typeof(Started))]
[RpcUnion(1, typeof(Finished))]
[RpcUnion(2, typeof(Heartbeat))]
public interface IJobEvent;

public readonly record struct Heartbeat(long Sequence) : IJobEvent;

public sealed record Started(Guid Job, DateTimeOffset At) : IJobEvent;

public sealed record Finished(Guid Job, bool Succeeded) : IJobEvent;

public sealed record TreeNode(string Name, List<TreeNode> Children);

public sealed class Chain
{
    public int Value { get; set; }

    public Chain? Next { get; set; }
}

public sealed record Registration(string Name, ICallbackGateway Callback, ICallbackGateway? Backup);

public sealed record Page<T>(List<T> Items, int Total);

public sealed record Keywords(int @class, string @event)
{
    public bool @checked { get; init; }
}

public sealed class Required
{
    public required string Name { get; init; }

    public int Count { get; set; }
}

public class BaseEnvelope
{
    public int Version { get; set; }

    public string? Kind { get; set; }
}

public sealed class Envelope : BaseEnvelope
{
    public new string? Version { get; set; }

    public Guid Id { get; set; }
}
