using System.Collections.Generic;
using Toolkit.Rpc.Generators.Model;

namespace Toolkit.Rpc.Generators.Emitting;

/// <summary>Raw values written with one bounds check per group, and zero padding as raw values.</summary>
internal static class RawGroup
{
    // The header byte counts too, so a writer group holds the header and up to seven members.
    public const int MaxValues = 8;

    public static int Parts(TypeShape shape) => shape == TypeShape.DateTimeOffset ? 3 : 1;

    public static void FlushWrites(SourceWriter w, List<string> group)
    {
        if (group.Count == 0)
        {
            return;
        }

        w.Line($"writer.WriteUnmanaged({string.Join(", ", group)});");
        group.Clear();
    }

    // Zero padding as the fewest raw values: 8, 4, 2 and 1 bytes.
    public static IEnumerable<(string Zero, string Type)> Padding(int bytes)
    {
        foreach ((int size, string zero, string type) in new[] { (8, "0L", "long"), (4, "0", "int"), (2, "(short)0", "short"), (1, "(byte)0", "byte") })
        {
            for (; bytes >= size; bytes -= size)
            {
                yield return (zero, type);
            }
        }
    }
}
