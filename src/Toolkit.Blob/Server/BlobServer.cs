using Toolkit.Rpc;

namespace Toolkit.Blob;

/// <summary>A blob server started on an <see cref="RpcService"/> without a host: its endpoint, and a way to stop it.</summary>
public sealed class BlobServer : IAsyncDisposable
{
    private readonly RpcService _rpc;

    private BlobServer(RpcService rpc, BlobServerEndpoint endpoint, string name)
    {
        _rpc = rpc;
        Endpoint = endpoint;
        Name = name;
    }

    /// <summary>The control endpoint.</summary>
    public BlobServerEndpoint Endpoint { get; }

    /// <summary>The endpoint's name on the service.</summary>
    public string Name { get; }

    /// <summary>Where clients connect for transfers, <c>host:port</c>.</summary>
    public string TransferAddress => Endpoint.TransferAddress;

    /// <summary>The control endpoint's address, <c>rpc://host:port/name</c>, when the service listens; else null.</summary>
    public string? Address => _rpc.Address is { } address ? $"rpc://{address}/{Name}" : null;

    /// <summary>
    /// Starts a blob server on <paramref name="rpc"/>: its endpoint named <see cref="BlobServerOptions.EndpointName"/>,
    /// the store recovered (and re-hashed), the transfer listener open. Permanent blobs are mirrored to
    /// <paramref name="haStore"/>, or to <see cref="BlobServerOptions.HaDirectory"/> when it is null.
    /// </summary>
    public static async Task<BlobServer> StartAsync(RpcService rpc, BlobServerOptions options, BlobMetrics? metrics = null, IBlobHaStore? haStore = null)
    {
        ArgumentNullException.ThrowIfNull(rpc);
        ArgumentNullException.ThrowIfNull(options);
        BlobServerEndpoint endpoint = await rpc.StartEndpointAsync(new BlobServerEndpoint(options, metrics, haStore), options.EndpointName).ConfigureAwait(false);
        return new BlobServer(rpc, endpoint, options.EndpointName);
    }

    /// <summary>Stops the endpoint: transfers in progress are aborted and their uploads discarded.</summary>
    public async ValueTask DisposeAsync() => await _rpc.StopEndpointAsync(Name).ConfigureAwait(false);
}
