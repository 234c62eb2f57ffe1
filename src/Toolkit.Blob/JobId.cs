namespace Toolkit.Blob;

/// <summary>
/// The job a permanent blob belongs to. It names a directory on the blob server and in caches, so only 1 to 128
/// letters, digits, '-', '_' and '.' are allowed, not starting with '.': no path separator, no "..", nothing a
/// peer could use to reach outside the store.
/// </summary>
public readonly record struct JobId
{
    /// <summary>The longest job id.</summary>
    public const int MaxLength = 128;

    private readonly string? _value;

    /// <summary>A job id; throws an <see cref="ArgumentException"/> naming the character that is not allowed.</summary>
    public JobId(string value)
    {
        if (Validate(value) is { } problem)
        {
            throw new ArgumentException(problem, nameof(value));
        }

        _value = value;
    }

    /// <summary>The id's text.</summary>
    public string Value => _value ?? throw new InvalidOperationException("This JobId is the default value, which names no job.");

    /// <summary>The id's text.</summary>
    public override string ToString() => _value ?? "(none)";

    /// <summary>Null when <paramref name="value"/> is a valid job id, else what is wrong with it.</summary>
    public static string? Validate(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return "A job id must not be empty.";
        }

        if (value.Length > MaxLength)
        {
            return $"The job id '{BlobKey.Shorten(value)}' is {value.Length} characters long; at most {MaxLength} are allowed.";
        }

        if (value[0] == '.')
        {
            return $"The job id '{BlobKey.Shorten(value)}' starts with '.'; job ids name directories, so '.' and '..' are not allowed.";
        }

        foreach (char c in value)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not ('-' or '_' or '.'))
            {
                return $"The job id '{BlobKey.Shorten(value)}' contains '{(char.IsControl(c) ? $"\\u{(int)c:x4}" : c.ToString())}'; only letters, digits, '-', '_' and '.' are allowed.";
            }
        }

        return null;
    }
}
