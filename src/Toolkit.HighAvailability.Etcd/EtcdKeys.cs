using Google.Protobuf;

namespace Toolkit.HighAvailability.Etcd;

/// <summary>
/// The key layout under the root:
/// <code>
/// {root}/election/{component}/{lease id, 16 hex digits}   one per contending process, attached to its lease;
///                                                         value: the confirmed address (empty until confirmed)
/// {root}/jobgraphs/{job id}                               a submitted job's graph
/// {root}/jobresults/{job id}                              a finished job's result: 1 byte (1 = clean) + the result
/// </code>
/// </summary>
internal sealed class EtcdKeys(string root)
{
    public string ElectionPrefix { get; } = root + "/election/";

    public string JobGraphPrefix { get; } = root + "/jobgraphs/";

    public string JobResultPrefix { get; } = root + "/jobresults/";

    public string ComponentPrefix(string componentId) => ElectionPrefix + componentId + "/";

    public string ContenderKey(string componentId, long leaseId) => ComponentPrefix(componentId) + leaseId.ToString("x16", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The component of an election key, or null when the key is not one.</summary>
    public string? ComponentOf(string key)
    {
        if (!key.StartsWith(ElectionPrefix, StringComparison.Ordinal))
        {
            return null;
        }

        int slash = key.IndexOf('/', ElectionPrefix.Length);
        return slash < 0 ? null : key[ElectionPrefix.Length..slash];
    }

    public static void ValidateName(string name, string what)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name, what);
        if (name.Contains('/', StringComparison.Ordinal))
        {
            throw new ArgumentException($"The {what} '{name}' contains '/', which separates the levels of etcd keys.", what);
        }
    }

    public static ByteString Bytes(string key) => ByteString.CopyFromUtf8(key);

    /// <summary>The end of the range of every key that starts with <paramref name="prefix"/>.</summary>
    public static ByteString RangeEnd(string prefix)
    {
        byte[] end = System.Text.Encoding.UTF8.GetBytes(prefix);
        end[^1]++;
        return ByteString.CopyFrom(end);
    }
}
