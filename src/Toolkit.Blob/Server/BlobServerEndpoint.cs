using Toolkit.Rpc;

namespace Toolkit.Blob;

/// <summary>
/// The blob server: this endpoint answers the control calls of <see cref="IBlobServerGateway"/>, and from its start to
/// its stop runs the transfer listener, the store and its cleanup. Register it with <c>AddBlobServer</c>, or start it
/// with <see cref="BlobServer.StartAsync"/>. Its clock and logging are the RPC service's.
/// </summary>
public sealed class BlobServerEndpoint : RpcEndpoint, IBlobServerGateway
{
    private readonly BlobServerOptions _options;
    private readonly BlobMetrics _metrics;
    private readonly IBlobHaStore? _haStore;
    private BlobTransferServer? _server;

    /// <summary>
    /// An endpoint with <paramref name="options"/>; its metrics go to <paramref name="metrics"/> (a meter of its own when
    /// null); permanent blobs are mirrored to <paramref name="haStore"/>, or to <see cref="BlobServerOptions.HaDirectory"/>.
    /// </summary>
    public BlobServerEndpoint(BlobServerOptions options, BlobMetrics? metrics = null, IBlobHaStore? haStore = null)
    {
        _haStore = haStore;
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        _metrics = metrics ?? new BlobMetrics();
    }

    /// <summary>Where clients connect for transfers, <c>host:port</c>; set once the endpoint started.</summary>
    public string TransferAddress => Server.Address;

    /// <summary>The metrics this server reports to.</summary>
    public BlobMetrics Metrics => _metrics;

    internal BlobTransferServer Server => _server ?? throw new InvalidOperationException("The blob server endpoint has not started.");

    /// <summary>Null when <paramref name="holder"/> is a valid holder id (1–200 characters, no control characters), else what is wrong.</summary>
    public static string? ValidateHolder(string? holder) =>
        string.IsNullOrEmpty(holder) ? "A holder id must not be empty."
        : holder.Length > 200 ? $"The holder id '{BlobKey.Shorten(holder)}' is longer than 200 characters."
        : holder.Any(char.IsControl) ? $"The holder id '{BlobKey.Shorten(holder)}' contains a control character."
        : null;

    /// <inheritdoc />
    public Task<string> GetTransferAddressAsync() => Task.FromResult(Server.Address);

    /// <inheritdoc />
    public Task<BlobStat> StatAsync(string? jobId, string key) => Server.Store.StatAsync(OptionalJob(jobId), Key(key));

    /// <inheritdoc />
    public Task<bool> ReferenceAsync(string jobId, string key, string holder) => Server.Store.ReferenceAsync(Job(jobId), Key(key), Holder(holder));

    /// <inheritdoc />
    public Task<bool> ReleaseAsync(string jobId, string key, string holder) => Server.Store.ReleaseAsync(Job(jobId), Key(key), Holder(holder));

    /// <inheritdoc />
    public Task<bool> DeleteAsync(string? jobId, string key) => Server.Store.DeleteAsync(OptionalJob(jobId), Key(key));

    /// <inheritdoc />
    public Task<int> DeleteJobAsync(string jobId) => Server.Store.DeleteJobAsync(Job(jobId));

    /// <summary>Removes what has expired now instead of at the next cleanup; returns how many blobs.</summary>
    public Task<int> CleanupAsync() => Server.CleanupAsync();

    /// <inheritdoc />
    protected override async Task OnStartAsync()
    {
        BlobTransferServer server = new(_options, _haStore, Service.Options.Transport, TimeProvider, Logger, _metrics);
        await Task.Run(() => server.StartAsync(CancellationToken.None)).ConfigureAwait(true);
        _server = server;
    }

    /// <inheritdoc />
    protected override async Task OnStopAsync()
    {
        if (_server is { } server)
        {
            await server.DisposeAsync().ConfigureAwait(true);
        }
    }

    private static BlobKey Key(string key) => BlobKey.TryParse(key, out BlobKey parsed)
        ? parsed
        : throw new ArgumentException($"'{BlobKey.Shorten(key)}' is not a blob key: a key is the SHA-256 of the content as 64 hex digits.", nameof(key));

    private static JobId Job(string jobId) => JobId.Validate(jobId) is { } problem ? throw new ArgumentException(problem, nameof(jobId)) : new JobId(jobId);

    private static JobId? OptionalJob(string? jobId) => jobId is null ? null : Job(jobId);

    private static string Holder(string holder) => ValidateHolder(holder) is { } problem ? throw new ArgumentException(problem, nameof(holder)) : holder;
}
