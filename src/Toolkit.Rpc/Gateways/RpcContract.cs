using System.Globalization;
using System.Text;

namespace Toolkit.Rpc.Gateways;

/// <summary>
/// Compares two processes' contracts for one gateway, from the lines of <see cref="RpcGatewayDescriptor.Contract"/>,
/// by the rules of version tolerance: one side may have members appended at the end of a message, methods, union
/// cases or enum members that the other lacks; anything else that differs (a member removed, reordered, renamed or
/// retyped, a raw type resized, an enum member renumbered, a method's parameters or result changed, a union case
/// moved) is incompatible. Lines are paired by key, so their order does not matter.
/// </summary>
internal static class RpcContract
{
    // Enough to point at the change: two builds that differ everywhere would otherwise make a message of every line.
    private const int MaxListed = 10;

    // The remote lines come from another process, so a quoted line is cut.
    private const int MaxQuotedLength = 300;

    /// <summary>Compares <paramref name="local"/> (of <paramref name="localSide"/>) with <paramref name="remote"/> (of <paramref name="remoteSide"/>).</summary>
    /// <param name="gatewayName">The gateway's full name, which starts a refusal.</param>
    /// <param name="local">This process's contract lines.</param>
    /// <param name="remote">The other process's contract lines.</param>
    /// <param name="localSide">How messages name this process, e.g. <c>service node-1 at 127.0.0.1:5000</c>.</param>
    /// <param name="remoteSide">How messages name the other process.</param>
    public static ContractCheck Check(string gatewayName, IReadOnlyList<string> local, IReadOnlyList<string> remote, string localSide, string remoteSide)
    {
        ArgumentNullException.ThrowIfNull(gatewayName);
        ArgumentNullException.ThrowIfNull(local);
        ArgumentNullException.ThrowIfNull(remote);
        if (local.Order(StringComparer.Ordinal).SequenceEqual(remote.Order(StringComparer.Ordinal), StringComparer.Ordinal))
        {
            return ContractCheck.Identical;
        }

        Comparison comparison = new(Side(localSide), Side(remoteSide));
        comparison.Methods(Methods(local), Methods(remote));
        comparison.Types(WireSchema.Parse(local), WireSchema.Parse(remote));
        if (comparison.Problems.Count == 0)
        {
            return new ContractCheck(true, null, comparison.Notes);
        }

        StringBuilder message = new StringBuilder("gateway ").Append(gatewayName).Append(" differs: ")
            .AppendJoin("; ", comparison.Problems.Order(StringComparer.Ordinal).Take(MaxListed));
        if (comparison.Problems.Count > MaxListed)
        {
            message.Append("; and ").Append((comparison.Problems.Count - MaxListed).ToString(CultureInfo.InvariantCulture)).Append(" more");
        }

        return new ContractCheck(false, message.ToString(), comparison.Notes);
    }

    private static string Side(string side) => Quote(side);

    private static Dictionary<string, List<string>> Methods(IReadOnlyList<string> lines)
    {
        Dictionary<string, List<string>> byName = new(StringComparer.Ordinal);
        foreach (string line in lines)
        {
            if (!line.StartsWith("method ", StringComparison.Ordinal))
            {
                continue;
            }

            int end = line.IndexOf('(', StringComparison.Ordinal);
            string name = end < 0 ? line : line["method ".Length..end];
            if (!byName.TryGetValue(name, out List<string>? overloads))
            {
                byName[name] = overloads = [];
            }

            overloads.Add(line);
        }

        return byName;
    }

    private static string Quote(string text) => text.Length <= MaxQuotedLength ? text : text[..MaxQuotedLength] + "…";

    private sealed class Comparison(string local, string remote)
    {
        public List<string> Problems { get; } = [];

        public List<string> Notes { get; } = [];

        public void Methods(Dictionary<string, List<string>> here, Dictionary<string, List<string>> there)
        {
            foreach (string name in here.Keys.Union(there.Keys, StringComparer.Ordinal))
            {
                List<string>? mine = here.GetValueOrDefault(name);
                List<string>? theirs = there.GetValueOrDefault(name);
                if (mine is null || theirs is null)
                {
                    Notes.Add($"method {name} only at {(mine is null ? remote : local)}");
                    continue;
                }

                string[] onlyMine = [.. mine.Except(theirs, StringComparer.Ordinal)];
                string[] onlyTheirs = [.. theirs.Except(mine, StringComparer.Ordinal)];
                if (onlyMine.Length > 0 && onlyTheirs.Length > 0)
                {
                    Problems.Add($"method {name} is '{Quote(onlyMine[0])}' at {local} but '{Quote(onlyTheirs[0])}' at {remote}");
                }
                else if (onlyMine.Length + onlyTheirs.Length > 0)
                {
                    Notes.Add($"an overload of method {name} only at {(onlyMine.Length > 0 ? local : remote)}");
                }
            }
        }

        public void Types(WireSchema here, WireSchema there)
        {
            foreach ((string name, WireType mine) in here.Types)
            {
                if (there.Find(name) is { } theirs)
                {
                    Type(mine, theirs);
                }
            }
        }

        private void Type(WireType mine, WireType theirs)
        {
            if (mine.Kind != theirs.Kind || (mine.Kind is WireKind.Raw or WireKind.Enum && mine.Size != theirs.Size))
            {
                Changed(mine, theirs);
                return;
            }

            switch (mine.Kind)
            {
                case WireKind.Object or WireKind.Struct:
                    Members(mine, theirs);
                    break;
                case WireKind.Enum:
                    EnumMembers(mine, theirs);
                    break;
                case WireKind.Union:
                    Cases(mine, theirs);
                    break;
                case WireKind.Unknown or WireKind.Nullable or WireKind.BlockArray or WireKind.Collection or WireKind.Dictionary:
                    if (mine.Line != theirs.Line)
                    {
                        Changed(mine, theirs);
                    }

                    break;
            }
        }

        private void Changed(WireType mine, WireType theirs) =>
            Problems.Add($"type {mine.Name} is '{Quote(mine.Line)}' at {local} but '{Quote(theirs.Line)}' at {remote}");

        private void Members(WireType mine, WireType theirs)
        {
            (string Name, string Type)[] a = mine.Members!;
            (string Name, string Type)[] b = theirs.Members!;
            for (int i = 0; i < Math.Min(a.Length, b.Length); i++)
            {
                if (a[i] != b[i])
                {
                    Problems.Add($"type {mine.Name} member {i} is '{a[i].Name}: {a[i].Type}' at {local} but '{b[i].Name}: {b[i].Type}' at {remote}");
                    return;
                }
            }

            if (a.Length != b.Length)
            {
                (string Name, string Type)[] longer = a.Length > b.Length ? a : b;
                string appended = string.Join(", ", longer.Skip(Math.Min(a.Length, b.Length)).Select(member => member.Name));
                Notes.Add($"type {mine.Name} has {appended} appended at {(a.Length > b.Length ? local : remote)}");
            }
        }

        private void EnumMembers(WireType mine, WireType theirs)
        {
            Dictionary<string, string> byName = theirs.Members!.ToDictionary(m => m.Name, m => m.Type, StringComparer.Ordinal);
            Dictionary<string, string> byValue = theirs.Members!.DistinctBy(m => m.Type).ToDictionary(m => m.Type, m => m.Name, StringComparer.Ordinal);
            bool added = mine.Members!.Length != theirs.Members!.Length;
            foreach ((string name, string value) in mine.Members!)
            {
                if (byName.TryGetValue(name, out string? theirValue) && theirValue != value)
                {
                    Problems.Add($"enum {mine.Name} member {name} is {value} at {local} but {theirValue} at {remote}");
                }
                else if (byValue.TryGetValue(value, out string? theirName) && theirName != name)
                {
                    Problems.Add($"enum {mine.Name} value {value} is {name} at {local} but {theirName} at {remote}");
                }
                else if (theirValue is null)
                {
                    added = true;
                }
            }

            if (added)
            {
                Notes.Add($"enum {mine.Name} has members only one side knows");
            }
        }

        private void Cases(WireType mine, WireType theirs)
        {
            Dictionary<int, string> byTag = theirs.Cases!.ToDictionary(c => c.Tag, c => c.Type);
            foreach ((int tag, string type) in mine.Cases!)
            {
                if (byTag.TryGetValue(tag, out string? theirType) && theirType != type)
                {
                    Problems.Add($"union {mine.Name} case {tag} is {type} at {local} but {theirType} at {remote}");
                }
            }

            if (mine.Cases!.Length != theirs.Cases!.Length || mine.Cases.Any(c => !byTag.ContainsKey(c.Tag)))
            {
                Notes.Add($"union {mine.Name} has cases only one side knows");
            }
        }
    }
}
