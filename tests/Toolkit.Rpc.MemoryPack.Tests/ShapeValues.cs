namespace Toolkit.Rpc.MemoryPack.Tests;

/// <summary>
/// Values of every type in Shapes.cs from a seeded <see cref="Random"/>: nulls, empties,
/// extremes, odd bit patterns (NaN payloads, negative zero, every DateTime kind, decimal scales), non-ASCII text and
/// long strings, beside plausible values. Strings never hold unpaired surrogates: MemoryPack cannot write those
/// (DeviationTests shows what each side does with them).
/// </summary>
public sealed class ShapeValues(Random random)
{
    private const string Alphabet = "abcXYZ019 \0\t\"\\éß漢字한😀𝄞";

    public Scalars Scalars() => new(
        random.Next(2) == 1,
        (byte)random.Next(256),
        (sbyte)random.Next(-128, 128),
        (short)random.Next(short.MinValue, short.MaxValue + 1),
        (ushort)random.Next(ushort.MaxValue + 1),
        Int32(),
        (uint)Int32(),
        Int64(),
        (ulong)Int64(),
        BitConverter.Int16BitsToHalf((short)random.Next(short.MinValue, short.MaxValue + 1)),
        Single(),
        Double(),
        (char)random.Next(char.MaxValue + 1),
        Decimal(),
        new Int128((ulong)Int64(), (ulong)Int64()),
        new UInt128((ulong)Int64(), (ulong)Int64()),
        Guid(),
        (Color)random.Next(256),
        (Priority)Int32(),
        (Wide)Int64());

    public Texts Texts() => new(String(), String() ?? "", random.Next(20) == 0 ? LongString() : String());

    public Arrays Arrays() => new(
        OrNull(() => Array(Int32)),
        OrNull(() => Array(() => (byte)random.Next(256))),
        OrNull(() => Array(Guid)),
        OrNull(() => Array(() => random.Next(2) == 1)),
        OrNull(() => Array(String)),
        OrNull(() => Array(Decimal)),
        OrNull(() => Array(DateTime)),
        OrNull(() => Array(DateTimeOffset)),
        OrNull(() => Array(() => (Color)random.Next(256))),
        OrNull(() => Array(() => Array(Int32))),
        OrNull(() => Array(() => OrNull(Address))),
        OrNull(() => Array(() => Maybe(Int32))));

    public Lists Lists() => new(
        OrNull(() => List(Int64)),
        OrNull(() => List(String)),
        OrNull(() => List(() => OrNull(Address))),
        OrNull<IReadOnlyList<int>>(() => random.Next(2) == 0 ? Array(Int32) : List(Int32)),
        OrNull<IList<string>>(() => List(() => String() ?? "")),
        OrNull(() => List(() => random.Next(2) == 1)),
        OrNull(() => List(() => Maybe(Double))));

    public Sets Sets() => new(
        OrNull(() => new HashSet<int>(Array(Int32))),
        OrNull(() => new HashSet<string>(Array(() => String() ?? ""), StringComparer.Ordinal)),
        OrNull<ISet<Guid>>(() => new HashSet<Guid>(Array(Guid))));

    public Maps Maps() => new(
        OrNull(() => Dictionary(() => String() ?? "", () => String() ?? "")),
        OrNull(() => Dictionary(Int32, Int64)),
        OrNull(() => Dictionary(Int64, Int32)),
        OrNull(() => Dictionary(() => (byte)random.Next(256), () => new Int128((ulong)Int64(), (ulong)Int64()))),
        OrNull(() => Dictionary(Guid, () => random.Next(2) == 1)),
        OrNull(() => Dictionary(Int32, () => Maybe(Int32))),
        OrNull(() => Dictionary(() => (byte)random.Next(256), () => Maybe(Int64))),
        OrNull(() => Dictionary(Int32, DateTimeOffset)),
        OrNull(() => Dictionary(() => (short)random.Next(short.MinValue, short.MaxValue + 1), () => Maybe(DateTimeOffset))),
        OrNull(() => Dictionary(() => (Color)random.Next(256), () => String() ?? "")),
        OrNull<IReadOnlyDictionary<int, Address>>(() => Dictionary(Int32, Address)),
        OrNull<IDictionary<string, List<int>>>(() => Dictionary(() => String() ?? "", () => List(Int32))));

    public Nullables Nullables() => new(
        Maybe(Int32),
        Maybe(Int64),
        Maybe(Double),
        Maybe(Decimal),
        Maybe(Guid),
        Maybe(() => random.Next(2) == 1),
        Maybe(() => (char)random.Next(char.MaxValue + 1)),
        Maybe(() => BitConverter.Int16BitsToHalf((short)random.Next(short.MinValue, short.MaxValue + 1))),
        Maybe(() => new Int128((ulong)Int64(), (ulong)Int64())),
        Maybe(() => (Color)random.Next(256)),
        Maybe(() => (Wide)Int64()),
        Maybe(DateTime),
        Maybe(() => new TimeSpan(Int64())),
        Maybe(DateOnly),
        Maybe(TimeOnly),
        Maybe(DateTimeOffset));

    public Times Times() => new(DateTime(), DateTimeOffset(), new TimeSpan(Int64()), DateOnly(), TimeOnly(), Maybe(DateTimeOffset));

    public Blob Blob() => new(Array(() => (byte)random.Next(256)), Array(() => (byte)random.Next(256)), OrNull(() => Array(() => (byte)random.Next(256))));

    public Shape? Shape(int depth = 2) => random.Next(6) switch
    {
        0 => new Circle(Double()),
        1 => new Square(Double()),
        2 => new RoundedSquare(Double(), Double()),
        3 when depth > 0 => new Polygon(String() ?? "", List(() => Shape(depth - 1))),
        4 => new Polygon(String() ?? "", []),
        _ => null,
    };

    public IJobEvent? JobEvent() => random.Next(3) switch
    {
        0 => new Started(Guid(), DateTimeOffset()),
        1 => new Finished(Guid(), random.Next(2) == 1, String()),
        _ => null,
    };

    public Drawing Drawing() => new(String() ?? "", Shape(), OrNull(() => List(() => Shape())), JobEvent());

    public Node? Node()
    {
        Node? head = null;
        for (int i = random.Next(random.Next(10) == 0 ? 200 : 8); i > 0; i--)
        {
            head = new Node(Int32(), head);
        }

        return head;
    }

    public TreeNode Tree(int depth = 4) =>
        new(String() ?? "", depth == 0 || random.Next(3) == 0 ? [] : List(() => Tree(depth - 1)));

    public Labelled Labelled() => new() { Id = Int32(), Name = String() };

    public Holder Holder() => new(Labelled(), Maybe(Labelled), OrNull(() => List(() => Maybe(Labelled))));

    public Person Person() => new(String() ?? "", String() ?? "") { Age = Int32() };

    public Settings? Settings() => random.Next(8) == 0
        ? null
        : new Settings { Name = String(), Retries = Int32(), Tags = OrNull(() => List(() => String() ?? "")), Counter = Int64() };

    public Order Order() => new(
        Guid(),
        Address(),
        List(() => new Line(String() ?? "", Int32(), Decimal())),
        Dictionary(() => String() ?? "", Decimal),
        Shape(),
        Node(),
        random.Next(2) == 0 ? null : Holder());

    public Coordinates Coordinates() => new(
        new Point(Int32(), Int32()),
        new Padded { A = (byte)random.Next(256), B = Int64() },
        Maybe(() => new Point(Int32(), Int32())),
        OrNull(() => Dictionary(Int32, () => new Point(Int32(), Int32()))));

    public Gauges Gauges() => new() { Count = Maybe(Int32), At = DateTimeOffset(), Seen = Maybe(DateTimeOffset), Total = Maybe(Int64) };

    public Address Address() => new(String() ?? "", String());

    public string? String()
    {
        int kind = random.Next(10);
        if (kind == 0)
        {
            return null;
        }

        if (kind == 1)
        {
            return "";
        }

        int length = random.Next(kind == 2 ? 300 : 12);
        System.Text.StringBuilder text = new(length);
        while (text.Length < length)
        {
            // From an alphabet of one-, two-, three- and four-byte UTF-8 text; any BMP char outside the surrogates now and then.
            int pick = random.Next(Alphabet.Length + 1);
            if (pick == Alphabet.Length)
            {
                char any = (char)random.Next(char.MaxValue + 1);
                text.Append(char.IsSurrogate(any) ? 'ÿ' : any);
            }
            else if (char.IsHighSurrogate(Alphabet[pick]))
            {
                text.Append(Alphabet, pick, 2);
            }
            else if (!char.IsLowSurrogate(Alphabet[pick]))
            {
                text.Append(Alphabet[pick]);
            }
        }

        return text.ToString();
    }

    // Longer than the writer's worst-case reservation (16 Ki chars), so that the counting path is taken too.
    public string LongString() => string.Concat(Enumerable.Repeat("漢字 and ASCII ", 2000));

    public int Int32() => random.Next(4) == 0 ? Pick(0, -1, int.MinValue, int.MaxValue) : (int)random.NextInt64(int.MinValue, (long)int.MaxValue + 1);

    public long Int64() => random.Next(4) == 0 ? Pick(0L, -1L, long.MinValue, long.MaxValue) : random.NextInt64(long.MinValue, long.MaxValue) + random.Next(2);

    public double Double() => random.Next(4) == 0
        ? Pick(0.0, -0.0, double.NaN, double.PositiveInfinity, double.Epsilon, double.MaxValue)
        : BitConverter.Int64BitsToDouble(Int64());

    public float Single() => random.Next(4) == 0 ? Pick(0f, -0f, float.NaN, float.NegativeInfinity) : BitConverter.Int32BitsToSingle(Int32());

    public decimal Decimal() => random.Next(4) == 0
        ? Pick(decimal.Zero, decimal.MinValue, decimal.MaxValue, 1.00m, -0.0m)
        : new decimal(Int32(), Int32(), Int32(), random.Next(2) == 1, (byte)random.Next(29));

    public Guid Guid()
    {
        byte[] bytes = new byte[16];
        random.NextBytes(bytes);
        return new Guid(bytes);
    }

    public DateTime DateTime() => random.Next(8) == 0
        ? Pick(System.DateTime.MinValue, System.DateTime.MaxValue, System.DateTime.UnixEpoch)
        : new(random.NextInt64(System.DateTime.MaxValue.Ticks + 1), (DateTimeKind)random.Next(3));

    public DateTimeOffset DateTimeOffset()
    {
        if (random.Next(8) == 0)
        {
            return Pick(System.DateTimeOffset.MinValue, System.DateTimeOffset.MaxValue, System.DateTimeOffset.UnixEpoch,
                new DateTimeOffset(1, 1, 1, 14, 0, 0, TimeSpan.FromHours(14)), new DateTimeOffset(9999, 12, 31, 0, 0, 0, TimeSpan.FromHours(-14)));
        }

        TimeSpan offset = TimeSpan.FromMinutes(random.Next(-14 * 60, 14 * 60 + 1));
        long lowest = Math.Max(0, offset.Ticks);
        long highest = Math.Min(System.DateTime.MaxValue.Ticks, System.DateTime.MaxValue.Ticks + offset.Ticks);
        return new DateTimeOffset(random.NextInt64(lowest, highest + 1), offset);
    }

    public DateOnly DateOnly() => System.DateOnly.FromDayNumber(random.Next(System.DateOnly.MaxValue.DayNumber + 1));

    public TimeOnly TimeOnly() => new(random.NextInt64(TimeSpan.TicksPerDay));

    private T[] Array<T>(Func<T> element)
    {
        T[] items = new T[random.Next(random.Next(10) == 0 ? 100 : 6)];
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
