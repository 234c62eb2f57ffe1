using System.Globalization;

namespace Toolkit.Blob;

/// <summary>A transfer address, <c>host:port</c>.</summary>
internal sealed record TransferEndpoint(string Host, int Port)
{
    public static TransferEndpoint Parse(string? text, string parameter)
    {
        int colon = text?.LastIndexOf(':') ?? -1;
        if (text is null || colon <= 0
            || !int.TryParse(text.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out int port) || port > 65535)
        {
            throw new ArgumentException($"'{text}' is not a transfer address: write host:port, e.g. 127.0.0.1:6124 (port 0 picks a free one).", parameter);
        }

        return new TransferEndpoint(text[..colon].Trim('[', ']'), port);
    }

    public override string ToString() => Host.Contains(':', StringComparison.Ordinal) ? $"[{Host}]:{Port}" : $"{Host}:{Port}";
}
