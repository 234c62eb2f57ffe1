using System.Globalization;

namespace Toolkit.Rpc.Serialization;

/// <summary>
/// The types of a peer's contracts, parsed from their lines (see <c>ContractDescription</c> in the generator for the
/// grammar), so that this process can skip members that the peer's newer version of a type appended. Lines of a
/// shape this build does not know parse as <see cref="WireKind.Unknown"/>: a newer peer may have new shapes.
/// </summary>
internal sealed partial class WireSchema
{
    // A DateTimeOffset's memory image, as it travels: int32 offset minutes, 4 zero bytes, int64 UTC ticks.
    private const int DateTimeOffsetSize = 16;

    private readonly Dictionary<string, WireType> _types;

    private WireSchema(Dictionary<string, WireType> types) => _types = types;

    public static WireSchema Empty { get; } = new(new Dictionary<string, WireType>(StringComparer.Ordinal));

    public IReadOnlyDictionary<string, WireType> Types => _types;

    /// <summary>Parses the <c>type</c> lines among <paramref name="lines"/>; other lines (methods) are skipped.</summary>
    public static WireSchema Parse(IEnumerable<string> lines)
    {
        Dictionary<string, WireType> types = new(StringComparer.Ordinal);
        foreach (string line in lines)
        {
            if (ParseType(line) is { } type)
            {
                types.TryAdd(type.Name, type);
            }
        }

        return new WireSchema(types);
    }

    /// <summary>This schema with <paramref name="other"/>'s types added where this one has none of the name.</summary>
    public WireSchema Merge(WireSchema other)
    {
        Dictionary<string, WireType> types = new(_types, StringComparer.Ordinal);
        foreach ((string name, WireType type) in other._types)
        {
            types.TryAdd(name, type);
        }

        return new WireSchema(types);
    }

    public WireType? Find(string name) => _types.GetValueOrDefault(name);

    /// <summary>Parses one <c>type Name: shape</c> line; null for any other line.</summary>
    public static WireType? ParseType(string line)
    {
        const string Prefix = "type ";
        int colon = line.IndexOf(':', StringComparison.Ordinal);
        if (!line.StartsWith(Prefix, StringComparison.Ordinal) || colon < 0 || colon + 2 > line.Length)
        {
            return null;
        }

        string name = line[Prefix.Length..colon];
        string shape = line[(colon + 1)..].Trim();
        return ParseShape(name, shape) ?? new WireType(name, shape, WireKind.Unknown);
    }

    private static WireType? ParseShape(string name, string shape)
    {
        switch (shape)
        {
            case "offset minutes and utc ticks":
                return new WireType(name, shape, WireKind.DateTimeOffset, DateTimeOffsetSize);
            case "utf-8 string":
                return new WireType(name, shape, WireKind.String);
            case "bytes":
                return new WireType(name, shape, WireKind.Bytes);
            case "gateway reference":
                return new WireType(name, shape, WireKind.Gateway);
            case "byte stream token":
                return new WireType(name, shape, WireKind.Raw, sizeof(long));
        }

        if (RawSize(shape) is int size)
        {
            return new WireType(name, shape, WireKind.Raw, size);
        }

        if (After(shape, "enum of ") is { } enumShape && SplitBraces(enumShape, out string head, out List<string> members)
            && RawSize(head) is int enumSize)
        {
            List<(string, string)> values = [];
            foreach (string member in members)
            {
                int equals = member.IndexOf(" = ", StringComparison.Ordinal);
                if (equals <= 0)
                {
                    return null;
                }

                values.Add((member[..equals], member[(equals + 3)..]));
            }

            return new WireType(name, shape, WireKind.Enum, enumSize, Members: [.. values]);
        }

        if (After(shape, "nullable ") is { } nullable)
        {
            return new WireType(name, shape, WireKind.Nullable, Element: nullable);
        }

        if (After(shape, "block array of ") is { } blockElement)
        {
            return new WireType(name, shape, WireKind.BlockArray, Element: blockElement);
        }

        if (After(shape, "collection of ") is { } element)
        {
            return new WireType(name, shape, WireKind.Collection, Element: element);
        }

        if (After(shape, "dictionary of ") is { } pair)
        {
            int to = IndexAtTopLevel(pair, " to ");
            return to <= 0 ? null : new WireType(name, shape, WireKind.Dictionary, Element: pair[(to + 4)..], Key: pair[..to]);
        }

        if (SplitBraces(shape, out string kind, out List<string> items))
        {
            switch (kind)
            {
                case "object" or "struct":
                    List<(string, string)> fields = [];
                    foreach (string item in items)
                    {
                        int separator = item.IndexOf(": ", StringComparison.Ordinal);
                        if (separator <= 0)
                        {
                            return null;
                        }

                        fields.Add((item[..separator], item[(separator + 2)..]));
                    }

                    return new WireType(name, shape, kind == "object" ? WireKind.Object : WireKind.Struct, Members: [.. fields]);
                case "union":
                    List<(int, string)> cases = [];
                    foreach (string item in items)
                    {
                        int separator = item.IndexOf(": ", StringComparison.Ordinal);
                        if (separator <= 0 || !int.TryParse(item.AsSpan(0, separator), NumberStyles.None, CultureInfo.InvariantCulture, out int tag) || tag > ushort.MaxValue)
                        {
                            return null;
                        }

                        cases.Add((tag, item[(separator + 2)..]));
                    }

                    return new WireType(name, shape, WireKind.Union, Cases: [.. cases]);
            }
        }

        return null;
    }

    private static int? RawSize(string shape)
    {
        if (shape == "1 raw byte")
        {
            return 1;
        }

        return After(shape, "", " raw bytes") is { } digits
            && int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out int size) && size is > 1 and <= 64
            ? size
            : null;
    }

    private static string? After(string text, string prefix, string suffix = "") =>
        text.Length > prefix.Length + suffix.Length && text.StartsWith(prefix, StringComparison.Ordinal) && text.EndsWith(suffix, StringComparison.Ordinal)
            ? text[prefix.Length..^suffix.Length]
            : null;

    /// <summary>Splits <c>head { a, b }</c> into the head and the items, honouring generic brackets in the items.</summary>
    private static bool SplitBraces(string text, out string head, out List<string> items)
    {
        head = "";
        items = [];
        int open = text.IndexOf(" {", StringComparison.Ordinal);
        if (open < 0 || !text.EndsWith('}'))
        {
            return false;
        }

        head = text[..open];
        string inner = text[(open + 2)..^1].Trim();
        int start = 0;
        while (start < inner.Length)
        {
            int comma = IndexAtTopLevel(inner[start..], ", ");
            int end = comma < 0 ? inner.Length : start + comma;
            items.Add(inner[start..end]);
            start = comma < 0 ? inner.Length : end + 2;
        }

        return true;
    }

    // The first occurrence of 'separator' outside <...> and (...), or -1.
    private static int IndexAtTopLevel(string text, string separator)
    {
        int depth = 0;
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (c is '<' or '(' or '[')
            {
                depth++;
            }
            else if (c is '>' or ')' or ']')
            {
                depth--;
            }
            else if (depth == 0 && string.CompareOrdinal(text, i, separator, 0, separator.Length) == 0)
            {
                return i;
            }
        }

        return -1;
    }
}
