using System;
using System.Globalization;
using System.Text;

namespace Toolkit.Rpc.Generators;

/// <summary>C# identifiers for generated names.</summary>
internal static class Identifiers
{
    /// <summary>
    /// A C# identifier made from a type key: readable, plus a hash of the whole key, because folding
    /// punctuation to underscores alone would make <c>A.B&lt;C&gt;</c> and <c>A.B.C</c> collide.
    /// </summary>
    public static string FromKey(string key)
    {
        string text = key.StartsWith("global::", StringComparison.Ordinal) ? key.Substring("global::".Length) : key;
        StringBuilder builder = new(text.Length + 10);
        foreach (char c in text)
        {
            if (char.IsLetterOrDigit(c))
            {
                builder.Append(c);
            }
            else if (builder.Length > 0 && builder[builder.Length - 1] != '_')
            {
                builder.Append('_');
            }
        }

        if (builder.Length == 0 || builder[builder.Length - 1] != '_')
        {
            builder.Append('_');
        }

        builder.Append(unchecked((uint)StableHash.Of32(key)).ToString("x8", CultureInfo.InvariantCulture));
        return char.IsDigit(builder[0]) ? "_" + builder : builder.ToString();
    }
}
