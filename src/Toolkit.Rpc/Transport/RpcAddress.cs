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

        (string host, int port) = ParseHostPort(rest[..slash], uri);
        return (host, port, endpoint);
    }

    /// <summary>Splits <c>host:port</c> (IPv6 hosts in brackets).</summary>
    public static (string Host, int Port) ParseHostPort(string address, string? context = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(address);
        int colon = address.LastIndexOf(':');
        string host = colon > 0 ? address[..colon] : "";
        if (host.StartsWith('[') && host.EndsWith(']'))
        {
            host = host[1..^1];
        }
        else if (host.Contains(':'))
        {
            host = "";
        }

        if (host.Length == 0
            || !int.TryParse(address.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out int port)
            || port > 65535)
        {
            throw new FormatException($"'{context ?? address}' has no valid host:port (IPv6 hosts go in brackets: [::1]:6123).");
        }

        return (host, port);
    }

    /// <summary>The canonical <c>host:port</c> text.</summary>
    public static string Format(string host, int port) =>
        host.Contains(':') ? $"[{host}]:{port.ToString(CultureInfo.InvariantCulture)}" : $"{host}:{port.ToString(CultureInfo.InvariantCulture)}";
}
