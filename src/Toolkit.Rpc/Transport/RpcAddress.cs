using System.Globalization;

namespace Toolkit.Rpc.Transport;

/// <summary>A service's network address, <c>host:port</c>, and the <c>rpc://host:port/endpoint</c> form that names an endpoint on it.</summary>
internal static class RpcAddress
{
    public const string Scheme = "rpc://";

    /// <summary>Splits <c>rpc://host:port/endpoint</c> into the service address and the endpoint name.</summary>
    public static (string Host, int Port, string Endpoint) ParseEndpointUri(string uri)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(uri);
        if (!uri.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase))
        {
            throw new FormatException($"'{uri}' is not an endpoint address: expected rpc://host:port/endpointName.");
        }

        string rest = uri[Scheme.Length..];
        int slash = rest.IndexOf('/');
        if (slash < 0 || slash == rest.Length - 1)
        {
            throw new FormatException($"'{uri}' names no endpoint: expected rpc://host:port/endpointName.");
        }

        string endpoint = rest[(slash + 1)..];
        if (endpoint.Contains('/'))
        {
            throw new FormatException($"'{uri}' has more than one path segment: expected rpc://host:port/endpointName.");
        }

        if (!IsValidEndpointName(endpoint))
        {
            throw new FormatException($"'{uri}' names the endpoint '{endpoint}', which {EndpointNameRule}.");
        }

        (string host, int port) = ParseHostPort(rest[..slash], uri);
        return (host, port, endpoint);
    }

    /// <summary>What <see cref="IsValidEndpointName"/> checks, as a phrase for error messages.</summary>
    public const string EndpointNameRule = "must be 1 to 255 characters of ASCII letters, digits, '_', '-' and '.'";

    /// <summary>Whether <paramref name="name"/> can name an endpoint (and fit the request frame's one-byte name length).</summary>
    public static bool IsValidEndpointName(string name)
    {
        if (name.Length is 0 or > byte.MaxValue)
        {
            return false;
        }

        foreach (char c in name)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.'))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Splits <c>host:port</c> (IPv6 hosts in brackets).</summary>
    public static (string Host, int Port) ParseHostPort(string address, string? context = null) =>
        TryParseHostPort(address, out string host, out int port)
            ? (host, port)
            : throw new FormatException($"'{context ?? address}' has no valid host:port (IPv6 hosts go in brackets: [::1]:6123).");

    /// <summary>Splits <c>host:port</c> (IPv6 hosts in brackets); false when it is not of that form.</summary>
    public static bool TryParseHostPort(string address, out string host, out int port)
    {
        port = 0;
        host = "";
        if (string.IsNullOrWhiteSpace(address))
        {
            return false;
        }

        int colon = address.LastIndexOf(':');
        host = colon > 0 ? address[..colon] : "";
        if (host.StartsWith('[') && host.EndsWith(']'))
        {
            host = host[1..^1];
        }
        else if (host.Contains(':'))
        {
            host = "";
        }

        return host.Length > 0
            && int.TryParse(address.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out port)
            && port <= 65535;
    }

    /// <summary>The canonical <c>host:port</c> text.</summary>
    public static string Format(string host, int port) =>
        host.Contains(':') ? $"[{host}]:{port.ToString(CultureInfo.InvariantCulture)}" : $"{host}:{port.ToString(CultureInfo.InvariantCulture)}";
}
