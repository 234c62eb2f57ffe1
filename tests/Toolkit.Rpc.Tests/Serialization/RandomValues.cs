namespace Toolkit.Rpc.Tests.Serialization;

/// <summary>Random rich messages from a seeded <see cref="Random"/>, covering nulls, empties, extremes and odd bit patterns.</summary>
public sealed class RandomValues(Random random)
{
    private const string Alphabet = "abcXYZ019 \0\t\"\\éß漢字한😀𝄞";

    public Scalars Scalars() => new(
        random.Next(2) == 1,
        (char)random.Next(char.MaxValue + 1),
        (byte)random.Next(256),
        (sbyte)random.Next(-128, 128),
        (short)random.Next(short.MinValue, short.MaxValue + 1),
        (ushort)random.Next(ushort.MaxValue + 1),
        Int32(),
        (uint)Int32(),
        Int64(),
        (ulong)Int64(),
        BitConverter.Int16BitsToHalf((short)random.Next(short.MinValue, short.MaxValue + 1)),
        BitConverter.Int32BitsToSingle(Int32()),
        BitConverter.Int64BitsToDouble(Int64()),
        Decimal(),
        new Int128((ulong)Int64(), (ulong)Int64()),
        new UInt128((ulong)Int64(), (ulong)Int64()),
        (SmallColor)random.Next(256),
        (WideFlags)Int64());

    public Times Times() => new(Guid(), DateTime(), DateTimeOffset(), new TimeSpan(Int64()));

    public Nullables Nullables() => new(
        Maybe(Int32),
        Maybe(() => BitConverter.Int64BitsToDouble(Int64())),
        Maybe(Decimal),
        Maybe(Guid),
        Maybe(DateTime),
        Maybe(DateTimeOffset),
        Maybe(() => random.Next(2) == 1),
        Maybe(() => (SmallColor)random.Next(256)),
        Maybe(Int64),
        Maybe(() => new Point(Int32(), Int32())));

    public Arrays Arrays() => new(
        OrNull(() => Array(Int32)),
        OrNull(() => Array(() => (byte)random.Next(256))),
        OrNull(() => Array(Guid)),
        OrNull(() => Array(() => random.Next(2) == 1)),
        OrNull(() => Array(String)),
        OrNull(() => Array(() => OrNull(Address))),
        OrNull(() => Array(() => Array(Int32))),
        OrNull(() => Array(Decimal)),
        OrNull(() => Array(DateTime)));

    public Collections Collections() => new(
        OrNull(() => List(Int64)),
        OrNull(() => List(String)),
        OrNull(() => List(Address)),
        OrNull<IReadOnlyList<int>>(() => random.Next(2) == 0 ? Array(Int32) : List(Int32)),
        OrNull(() => new HashSet<string>(List(() => String() ?? ""), StringComparer.Ordinal)),
        OrNull(() => Dictionary(() => String() ?? "", () => String() ?? "")),
        OrNull<IReadOnlyDictionary<int, Address>>(() => Dictionary(Int32, Address)),
        OrNull(() => List(() => random.Next(2) == 1)));

    public Drawing Drawing() => new(String() ?? "", Shape(), OrNull(() => List(Shape)));

    public Shape? Shape() => random.Next(5) switch
    {
        0 => new Circle(BitConverter.Int64BitsToDouble(Int64())),
        1 => new Square(random.NextDouble()),
        2 => new RoundedSquare(random.NextDouble(), random.NextDouble()),
        3 => new Triangle(random.NextDouble(), random.NextDouble(), random.NextDouble()),
        _ => null,
    };

    public Profile Profile() => new() { Name = String() ?? "", Age = Int32(), Home = OrNull(Address) };

    public Tree Tree(int depth) => new()
    {
        Value = Int32(),
        // Few children a level, so that the trees stay small however the dice fall.
        Children = depth == 0 || random.Next(4) == 0 ? null : [.. Enumerable.Range(0, random.Next(4)).Select(_ => Tree(depth - 1))],
    };

    public Address Address() => new(String() ?? "", String());

    public string? String()
    {
        int kind = random.Next(10);
        if (kind == 0)
        {
            return null;
        }

        int length = random.Next(kind == 1 ? 300 : 12);
        char[] chars = new char[length];
        for (int i = 0; i < length; i++)
        {
            // Mostly from an alphabet with multi-byte and surrogate-pair text; now and then any UTF-16 code unit,
            // lone surrogates included.
            chars[i] = random.Next(8) == 0 ? (char)random.Next(char.MaxValue + 1) : Alphabet[random.Next(Alphabet.Length)];
        }

        return new string(chars);
    }

    public int Int32() => random.Next(4) == 0 ? Pick(0, -1, int.MinValue, int.MaxValue) : (int)random.NextInt64(int.MinValue, (long)int.MaxValue + 1);

    public long Int64() => random.Next(4) == 0 ? Pick(0L, -1L, long.MinValue, long.MaxValue) : random.NextInt64(long.MinValue, long.MaxValue) + random.Next(2);

    public decimal Decimal() => new(Int32(), Int32(), Int32(), random.Next(2) == 1, (byte)random.Next(29));

    public Guid Guid()
    {
        byte[] bytes = new byte[16];
        random.NextBytes(bytes);
        return new Guid(bytes);
    }

    public DateTime DateTime() =>
        new(random.NextInt64(System.DateTime.MaxValue.Ticks + 1), (DateTimeKind)random.Next(3));

    public DateTimeOffset DateTimeOffset()
    {
        TimeSpan offset = TimeSpan.FromMinutes(random.Next(-14 * 60, 14 * 60 + 1));
        long lowest = Math.Max(0, offset.Ticks);
        long highest = Math.Min(System.DateTime.MaxValue.Ticks, System.DateTime.MaxValue.Ticks + offset.Ticks);
        return new DateTimeOffset(random.NextInt64(lowest, highest + 1), offset);
    }

    private T[] Array<T>(Func<T> element)
    {
        T[] items = new T[random.Next(random.Next(10) == 0 ? 200 : 6)];
        for (int i = 0; i < items.Length; i++)
        {
            items[i] = element();
        }

        return items;
    }

    private List<T> List<T>(Func<T> element) => [.. Array(element)];

    private Dictionary<TKey, TValue> Dictionary<TKey, TValue>(Func<TKey> key, Func<TValue> value)
        where TKey : notnull
    {
        Dictionary<TKey, TValue> result = [];
        int count = random.Next(8);
        for (int i = 0; i < count; i++)
        {
            result[key()] = value();
        }

        return result;
    }

    private T? OrNull<T>(Func<T> value)
        where T : class => random.Next(6) == 0 ? null : value();

    private T? Maybe<T>(Func<T> value)
        where T : struct => random.Next(3) == 0 ? null : value();

    private T Pick<T>(params T[] choices) => choices[random.Next(choices.Length)];
}
