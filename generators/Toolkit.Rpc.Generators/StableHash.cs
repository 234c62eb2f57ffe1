using System.Text;

namespace Toolkit.Rpc.Generators;

/// <summary>FNV-1a over UTF-8: stable across processes, machines and .NET versions, unlike string.GetHashCode.</summary>
internal static class StableHash
{
    public static int Of32(string text)
    {
        uint hash = 2166136261;
        foreach (byte b in Encoding.UTF8.GetBytes(text))
        {
            hash = unchecked((hash ^ b) * 16777619);
        }

        return unchecked((int)hash);
    }

    public static string Of64Hex(string text)
    {
        ulong hash = 14695981039346656037;
        foreach (byte b in Encoding.UTF8.GetBytes(text))
        {
            hash = unchecked((hash ^ b) * 1099511628211);
        }

        return hash.ToString("x16", System.Globalization.CultureInfo.InvariantCulture);
    }
}
