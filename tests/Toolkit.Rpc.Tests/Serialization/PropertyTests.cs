namespace Toolkit.Rpc.Tests.Serialization;

/// <summary>
/// Round-trips many random values of the rich messages. Each run uses a new seed unless
/// TOOLKIT_SERIALIZATION_SEED is set; a failure names the seed so that the run can be repeated exactly.
/// </summary>
public sealed class PropertyTests
{
    private const int Iterations = 1000;

    [Fact]
    public void Random_scalars_round_trip() => Check(values => values.Scalars());

    [Fact]
    public void Random_times_round_trip() => Check(values => values.Times());

    [Fact]
    public void Random_nullables_round_trip() => Check(values => values.Nullables());

    [Fact]
    public void Random_arrays_round_trip() => Check(values => values.Arrays());

    [Fact]
    public void Random_collections_round_trip() => Check(values => values.Collections());

    [Fact]
    public void Random_drawings_with_unions_round_trip() => Check(values => values.Drawing());

    [Fact]
    public void Random_profiles_round_trip() => Check(values => values.Profile());

    [Fact]
    public void Random_trees_of_structs_round_trip() => Check(values => values.Tree(depth: 4));

    [Fact]
    public void Random_strings_round_trip() => Check(values => new Text(values.String()));

    /// <summary>The seed of this run: TOOLKIT_SERIALIZATION_SEED when set, otherwise a fresh one.</summary>
    public static int Seed() =>
        int.TryParse(Environment.GetEnvironmentVariable("TOOLKIT_SERIALIZATION_SEED"), out int seed) ? seed : Random.Shared.Next();

    private static void Check<T>(Func<RandomValues, T> generate)
    {
        int seed = Seed();
        RandomValues values = new(new Random(seed));
        for (int i = 0; i < Iterations; i++)
        {
            T value = generate(values);
            string context = $"{typeof(T).Name} #{i} from seed {seed} (rerun with TOOLKIT_SERIALIZATION_SEED={seed})";
            T copy = default!;
            Exception? failure = Record.Exception(() => copy = RpcSerializer.Deserialize<T>(RpcSerializer.Serialize(value)));
            Assert.True(failure is null, $"{context}: {failure}");
            StructuralEquality.AssertEqual(value, copy, context);
        }
    }
}
