using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;

namespace Toolkit.Blob;

/// <summary>
/// A blob's key: the SHA-256 of its content, written as 64 lowercase hex digits. Identical content has one key and
/// one file; a key names exactly one content, so every download can be verified against it.
/// </summary>
public readonly record struct BlobKey
{
    /// <summary>The size of the hash in bytes.</summary>
    public const int Size = SHA256.HashSizeInBytes;

    private readonly string? _hex;

    private BlobKey(string hex) => _hex = hex;

    /// <summary>The key of empty content.</summary>
    public static BlobKey Empty { get; } = FromHash(SHA256.HashData(ReadOnlySpan<byte>.Empty));

    /// <summary>The hash as 64 lowercase hex digits.</summary>
    public string Hex => _hex ?? Empty._hex!;

    /// <summary>The key of <paramref name="content"/>.</summary>
    public static BlobKey Compute(ReadOnlySpan<byte> content) => FromHash(SHA256.HashData(content));

    /// <summary>The key whose hash is <paramref name="hash"/> (32 bytes).</summary>
    public static BlobKey FromHash(ReadOnlySpan<byte> hash)
    {
        if (hash.Length != Size)
        {
            throw new ArgumentException($"A blob key is a SHA-256 hash of {Size} bytes, not {hash.Length}.", nameof(hash));
        }

        return new BlobKey(Convert.ToHexStringLower(hash));
    }

    /// <summary>Parses 64 hex digits; anything else (a path, a shorter hash) is refused with a <see cref="FormatException"/>.</summary>
    public static BlobKey Parse(string text) => TryParse(text, out BlobKey key)
        ? key
        : throw new FormatException($"'{Shorten(text)}' is not a blob key: a key is the SHA-256 of the content as {Size * 2} hex digits.");

    /// <summary>Parses 64 hex digits (either case); false for anything else.</summary>
    public static bool TryParse([NotNullWhen(true)] string? text, out BlobKey key)
    {
        key = default;
        if (text is null || text.Length != Size * 2)
        {
            return false;
        }

        foreach (char c in text)
        {
            if (!char.IsAsciiHexDigit(c))
            {
                return false;
            }
        }

        key = new BlobKey(text.ToLowerInvariant());
        return true;
    }

    /// <summary>Writes the 32 bytes of the hash to <paramref name="destination"/>.</summary>
    public void WriteHash(Span<byte> destination) => Convert.FromHexString(Hex, destination, out _, out _);

    /// <summary>The hex digits.</summary>
    public override string ToString() => Hex;

    internal static string Shorten(string? text) => text is null ? "(null)" : text.Length <= 80 ? text : text[..77] + "...";
}
