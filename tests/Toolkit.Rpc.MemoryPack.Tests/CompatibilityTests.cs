using System.Reflection;
using System.Runtime.ExceptionServices;

namespace Toolkit.Rpc.MemoryPack.Tests;

/// <summary>
/// For every shape that Toolkit and MemoryPack lay out alike, many values each: the same bytes from both, and each
/// side reads the other's bytes back to an equal value.
/// </summary>
public sealed class CompatibilityTests
{
    // Values per shape, beside its edge values; each shape has its own seed, so a failure names a value to replay.
    private const int RandomValuesPerShape = 1000;

    private static readonly Dictionary<string, Func<ShapeValues, Action<string>>> Shapes = new()
    {
        ["scalars"] = values => Check(values.Scalars()),
        ["texts"] = values => Check(values.Texts()),
        ["arrays"] = values => Check(values.Arrays()),
        ["lists"] = values => Check(values.Lists()),
        ["sets"] = values => Check(values.Sets()),
        ["maps"] = values => Check(values.Maps()),
        ["nullables"] = values => Check(values.Nullables()),
        ["times"] = values => Check(values.Times()),
        ["blob"] = values => Check(values.Blob()),
        ["union"] = values => Check(values.Shape()),
        ["interface union"] = values => Check(values.JobEvent()),
        ["drawing"] = values => Check(values.Drawing()),
        ["linked list"] = values => Check(values.Node()),
        ["tree"] = values => Check(values.Tree()),
        ["struct with a reference and its nullable"] = values => Check(values.Holder()),
        ["get-only members"] = values => Check(values.Person()),
        ["class"] = values => Check(values.Settings()),
        ["order"] = values => Check(values.Order()),
        ["gauges"] = values => Check(values.Gauges()),
    };

    public static TheoryData<string> ShapeNames => [.. Shapes.Keys];

    public static TheoryData<string, object?> EdgeValues => new()
    {
        { "all null", new Arrays(null, null, null, null, null, null, null, null, null, null, null, null) },
        { "all empty", new Arrays([], [], [], [], [], [], [], [], [], [], [], []) },
        { "empty lists", new Lists([], [], [], [], [], [], []) },
        { "null lists", new Lists(null, null, null, null, null, null, null) },
        { "empty maps", new Maps([], [], [], [], [], [], [], [], [], [], new Dictionary<int, Address>(), new Dictionary<string, List<int>>()) },
        { "null maps", new Maps(null, null, null, null, null, null, null, null, null, null, null, null) },
        { "null nullables", new Nullables(null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null) },
        { "empty and null strings", new Texts(null, "", "") },
        { "one char of each UTF-8 width", new Texts("a", "é", "漢😀") },
        { "a null string inside", new Texts("x", "y", null) },
        { "empty blob", new Blob(ReadOnlyMemory<byte>.Empty, Memory<byte>.Empty, []) },
        { "null union", null },
        { "a wide union tag", new Polygon("p", [new Circle(1), null, new RoundedSquare(2, 3)]) },
        { "an empty tree", new TreeNode("", []) },
        { "a default struct", new Holder(default, default(Labelled), [null, default(Labelled)]) },
        { "empty names", new Person("", "") },
        { "extreme times", new Times(DateTime.MaxValue, DateTimeOffset.MaxValue, TimeSpan.MinValue, DateOnly.MaxValue, TimeOnly.MaxValue, DateTimeOffset.MinValue) },
        { "raw pairs at their extremes", new Maps(null, new() { [int.MinValue] = long.MaxValue }, new() { [long.MinValue] = -1 },
            new() { [255] = Int128.MinValue }, new() { [Guid.Empty] = true }, new() { [0] = null, [1] = 0 }, new() { [7] = null, [8] = long.MinValue },
            new() { [-1] = DateTimeOffset.MinValue }, new() { [short.MinValue] = null, [short.MaxValue] = DateTimeOffset.MaxValue }, new() { [Color.Blue] = "" },
            null, null) },
    };

    [Theory]
    [MemberData(nameof(ShapeNames))]
    public void Random_values_are_the_same_bytes_and_each_side_reads_the_others(string shape)
    {
        ShapeValues values = new(new Random(StableSeed(shape)));
        for (int i = 0; i < RandomValuesPerShape; i++)
        {
            Shapes[shape](values)($"{shape} #{i}");
        }
    }

    [Theory]
    [MemberData(nameof(EdgeValues))]
    public void Edge_values_are_the_same_bytes_and_each_side_reads_the_others(string name, object? value)
    {
        switch (value)
        {
            case null:
                Compatibility.AssertSameBytesBothWays<Shape?>(null, name);
                break;
            case Shape shape:
                Compatibility.AssertSameBytesBothWays<Shape?>(shape, name);
                break;
            default:
                try
                {
                    typeof(Compatibility).GetMethod(nameof(Compatibility.AssertSameBytesBothWays))!
                        .MakeGenericMethod(value.GetType())
                        .Invoke(null, [value, name]);
                }
                catch (TargetInvocationException invocation) when (invocation.InnerException is { } failure)
                {
                    ExceptionDispatchInfo.Capture(failure).Throw();
                }

                break;
        }
    }

    private static Action<string> Check<T>(T value) => label => Compatibility.AssertSameBytesBothWays(value, label);

    private static int StableSeed(string name) => name.Aggregate(17, (hash, c) => unchecked((hash * 31) + c));
}
