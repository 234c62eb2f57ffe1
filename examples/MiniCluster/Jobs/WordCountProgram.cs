using System.Globalization;
using System.Text;

namespace MiniCluster.Jobs;

/// <summary>
/// The job's artifact — what a Flink job's jar is to its task executors: the program the tasks run, shipped as a
/// permanent blob of the job beside its input shards. Here a small text file naming the program and its parameters,
/// which every task downloads (once per executor, through its blob cache), parses and runs:
/// <code>
/// program word-count/1
/// reducers 4
/// partitioner fnv1a-32
/// </code>
/// </summary>
/// <param name="Reducers">How many partitions a map splits its counts into: the job's reduce tasks.</param>
public sealed record WordCountProgram(int Reducers)
{
    /// <summary>The program and version this build runs.</summary>
    public const string Name = "word-count/1";

    /// <summary>The partitioner it uses (<see cref="WordCounter.Partition"/>).</summary>
    public const string Partitioner = "fnv1a-32";

    public byte[] ToBytes() => Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"program {Name}\nreducers {Reducers}\npartitioner {Partitioner}\n"));

    /// <summary>Reads a program; throws <see cref="FormatException"/> naming what this build cannot run.</summary>
    public static WordCountProgram Parse(ReadOnlySpan<byte> content)
    {
        Dictionary<string, string> fields = new(StringComparer.Ordinal);
        foreach (string line in Encoding.UTF8.GetString(content).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            int space = line.IndexOf(' ', StringComparison.Ordinal);
            if (space <= 0 || !fields.TryAdd(line[..space], line[(space + 1)..].Trim()))
            {
                throw new FormatException($"The job's program has a malformed or repeated line '{line}': each line is 'name value', once.");
            }
        }

        string program = fields.GetValueOrDefault("program") ?? "(none)";
        if (program != Name)
        {
            throw new FormatException($"The job's program is '{program}'; this task executor runs '{Name}'.");
        }

        string partitioner = fields.GetValueOrDefault("partitioner") ?? "(none)";
        if (partitioner != Partitioner)
        {
            throw new FormatException($"The job's program asks for partitioner '{partitioner}'; {Name} partitions with '{Partitioner}'.");
        }

        return int.TryParse(fields.GetValueOrDefault("reducers"), NumberStyles.None, CultureInfo.InvariantCulture, out int reducers) && reducers > 0
            ? new WordCountProgram(reducers)
            : throw new FormatException($"The job's program has reducers '{fields.GetValueOrDefault("reducers") ?? "(none)"}': a positive whole number is needed.");
    }
}
