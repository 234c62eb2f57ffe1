using System.Globalization;
using System.Text;

namespace Toolkit.Rpc.Gateways;

/// <summary>
/// Says how two processes' contracts for one gateway differ, from the lines of <see cref="RpcGatewayDescriptor.Contract"/>,
/// so that a fingerprint mismatch can be reported as what changed rather than as two hashes.
/// </summary>
public static class RpcContract
{
    // Enough to point at the change: two builds that differ everywhere would otherwise make a message of every line.
    private const int MaxListedDifferences = 10;

    // The remote lines come from another process, so a quoted line is cut to a window around where it differs.
    private const int MaxQuotedLength = 400;
    private const int ContextBeforeDifference = 60;

    /// <summary>Describes how <paramref name="local"/> differs from <paramref name="remote"/>.</summary>
    /// <param name="gatewayName">The gateway's full name, which starts the message.</param>
    /// <param name="local">This process's contract lines.</param>
    /// <param name="remote">The other process's contract lines.</param>
    /// <returns>
    /// Null when both hold the same lines; otherwise <c>gateway Name differs: </c> followed by up to ten differences in
    /// key order, separated by "; ", and "and N more" when there are more.
    /// </returns>
    /// <remarks>
    /// Lines are paired by key, the text before the first '(' or ':' (<c>method Name</c>, <c>type FullName</c>), so their
    /// order does not matter. A key on both sides with different lines is reported as
    /// <c>key: here 'line', there 'line'</c>; a key on one side only as <c>key only here</c> or <c>key only there</c>.
    /// Overloads share a key: their lines that are equal on both sides are set aside, the rest are paired in order and
    /// any left over are reported as <c>key: 'line' only here</c> (or <c>there</c>).
    /// </remarks>
    public static string? Compare(string gatewayName, IReadOnlyList<string> local, IReadOnlyList<string> remote)
    {
        ArgumentNullException.ThrowIfNull(gatewayName);
        ArgumentNullException.ThrowIfNull(local);
        ArgumentNullException.ThrowIfNull(remote);

        Dictionary<string, List<string>> here = ByKey(local);
        Dictionary<string, List<string>> there = ByKey(remote);
        List<string> differences = [];
        foreach (string key in here.Keys.Union(there.Keys, StringComparer.Ordinal).Order(StringComparer.Ordinal))
        {
            AddDifferences(key, here.GetValueOrDefault(key), there.GetValueOrDefault(key), differences);
        }

        if (differences.Count == 0)
        {
            return null;
        }

        StringBuilder message = new StringBuilder("gateway ").Append(gatewayName).Append(" differs: ")
            .AppendJoin("; ", differences.Take(MaxListedDifferences));
        if (differences.Count > MaxListedDifferences)
        {
            message.Append("; and ").Append((differences.Count - MaxListedDifferences).ToString(CultureInfo.InvariantCulture)).Append(" more");
        }

        return message.ToString();
    }

    private static void AddDifferences(string key, List<string>? here, List<string>? there, List<string> differences)
    {
        if (there is null)
        {
            differences.Add(key + " only here");
            return;
        }

        if (here is null)
        {
            differences.Add(key + " only there");
            return;
        }

        List<string> onlyHere = Without(here, there);
        List<string> onlyThere = Without(there, here);
        int paired = Math.Min(onlyHere.Count, onlyThere.Count);
        for (int i = 0; i < paired; i++)
        {
            differences.Add($"{key}: here '{Quote(onlyHere[i], onlyThere[i])}', there '{Quote(onlyThere[i], onlyHere[i])}'");
        }

        differences.AddRange(onlyHere.Skip(paired).Select(line => $"{key}: '{Quote(line, key)}' only here"));
        differences.AddRange(onlyThere.Skip(paired).Select(line => $"{key}: '{Quote(line, key)}' only there"));
    }

    // The lines of 'lines' that 'other' does not hold as often, in their order.
    private static List<string> Without(List<string> lines, List<string> other)
    {
        List<string> unmatched = [.. other];
        return lines.Where(line => !unmatched.Remove(line)).ToList();
    }

    private static Dictionary<string, List<string>> ByKey(IReadOnlyList<string> lines)
    {
        Dictionary<string, List<string>> byKey = new(StringComparer.Ordinal);
        foreach (string line in lines)
        {
            int end = line.AsSpan().IndexOfAny('(', ':');
            string key = end < 0 ? line : line[..end];
            if (!byKey.TryGetValue(key, out List<string>? group))
            {
                byKey[key] = group = [];
            }

            group.Add(line);
        }

        return byKey;
    }

    // A long line is shown from a little before where it first differs from 'other', so the difference stays in view.
    private static string Quote(string line, string other)
    {
        if (line.Length <= MaxQuotedLength)
        {
            return line;
        }

        int start = Math.Max(0, line.AsSpan().CommonPrefixLength(other) - ContextBeforeDifference);
        int length = Math.Min(MaxQuotedLength, line.Length - start);
        return (start > 0 ? "…" : "") + line.Substring(start, length) + (start + length < line.Length ? "…" : "");
    }
}
