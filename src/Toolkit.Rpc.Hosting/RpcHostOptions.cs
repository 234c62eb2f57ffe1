namespace Toolkit.Rpc.Hosting;

/// <summary>
/// The service's options as configuration holds them (for example the section <c>Rpc</c> of <c>appsettings.json</c>);
/// validated when the host starts, and turned into <see cref="RpcServiceOptions"/>.
/// </summary>
/// <example>
/// <code>
/// "Rpc": {
///   "NodeId": "resourcemanager-1",
///   "Listen": "0.0.0.0:6123",
///   "DefaultTimeout": "00:00:10",
///   "Transport": { "SharedSecretFile": "/run/secrets/rpc", "MaxFrameSize": 8388608,
///                  "Tls": { "CertificatePath": "tls/node.pem", "KeyPath": "tls/node.key" } }
/// }
/// </code>
/// </example>
public sealed class RpcHostOptions
{
    /// <summary>The service's unique id; a random one when not set.</summary>
    public string? NodeId { get; set; }

    /// <summary><c>host:port</c> to listen on; unset, the service has no listener (client mode).</summary>
    public string? Listen { get; set; }

    /// <summary>The timeout of calls whose method and caller set none (<see cref="RpcServiceOptions.DefaultTimeout"/>).</summary>
    public TimeSpan DefaultTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Sends local calls through the serializers too (<see cref="RpcServiceOptions.SerializeLocalCalls"/>).</summary>
    public bool SerializeLocalCalls { get; set; }

    /// <summary>The transport's settings.</summary>
    public RpcHostTransportOptions Transport { get; set; } = new();
}
