using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Toolkit.Rpc;

namespace Toolkit.Blob;

/// <summary>
/// Uploads, downloads and deletes blobs on a blob server. Control calls go through the server's
/// <see cref="IBlobServerGateway"/>; every transfer opens a connection of its own. Transfers are retried with
/// exponential backoff and jitter (<see cref="BlobClientOptions.MaxAttempts"/>), every download is verified against
/// its key, and an interrupted download resumes where it stopped. Thread-safe.
/// </summary>
/// <example>
/// <code>
/// BlobClient blobs = BlobClient.Create(rpc, "rpc://10.0.0.1:6123/blobserver");
/// BlobKey jar = await blobs.PutFileAsync("job.jar", BlobKind.Permanent, new JobId("job-42"));
/// await blobs.GetAsync(jar, "/tmp/job.jar", new JobId("job-42"));
/// </code>
/// </example>
public sealed partial class BlobClient
{
    private readonly BlobClientOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly string? _secret;
    private readonly RpcTlsOptions? _tls;
    private readonly TransferEndpoint? _fixedAddress;
    private volatile TransferEndpoint? _address;

    /// <summary>A client of the server behind <paramref name="server"/>; transfers use TLS with <paramref name="tls"/> when it is set.</summary>
    public BlobClient(IBlobServerGateway server, BlobClientOptions? options = null, TimeProvider? timeProvider = null, ILoggerFactory? loggerFactory = null, RpcTlsOptions? tls = null)
    {
        ArgumentNullException.ThrowIfNull(server);
        _options = options ?? new BlobClientOptions();
        _options.Validate();
        Server = server;
        _time = timeProvider ?? TimeProvider.System;
        _logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger("Toolkit.Blob.BlobClient");
        _secret = _options.SharedSecret;
        _tls = tls;
        _fixedAddress = _options.TransferAddress is { } fixedAddress ? TransferEndpoint.Parse(fixedAddress, nameof(_options.TransferAddress)) : null;
    }

    private BlobClient(IBlobServerGateway server, BlobClientOptions options, RpcService rpc)
        : this(server, options, rpc.TimeProvider, rpc.LoggerFactory, rpc.Options.Transport.Tls) =>
        _secret = options.SharedSecret ?? rpc.Options.Transport.SharedSecret;

    /// <summary>
    /// A client of the blob server endpoint at <paramref name="serverAddress"/> (<c>rpc://host:port/blobserver</c>),
    /// reached through <paramref name="rpc"/>, whose shared secret, TLS, clock and logging it uses unless
    /// <paramref name="options"/> says otherwise. Nothing connects before the first call.
    /// </summary>
    public static BlobClient Create(RpcService rpc, string serverAddress, BlobClientOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(rpc);
        ArgumentException.ThrowIfNullOrWhiteSpace(serverAddress);
        return new BlobClient(rpc.GetRemoteGateway<IBlobServerGateway>(serverAddress), options ?? new BlobClientOptions(), rpc);
    }

    /// <summary>The server's control gateway.</summary>
    public IBlobServerGateway Server { get; }

    /// <summary>The name under which this client references the permanent blobs it uploads.</summary>
    public string HolderId => _options.HolderId;

    /// <summary>Uploads <paramref name="content"/>; returns its key. Permanent blobs need a job and stay referenced by this client until <see cref="ReleaseAsync"/>.</summary>
    public Task<BlobKey> PutAsync(ReadOnlyMemory<byte> content, BlobKind kind, JobId? job = null, CancellationToken cancellation = default)
    {
        MemoryStream stream = MemoryMarshal.TryGetArray(content, out ArraySegment<byte> segment)
            ? new MemoryStream(segment.Array!, segment.Offset, segment.Count, writable: false)
            : new MemoryStream(content.ToArray(), writable: false);
        return PutAsync(stream, kind, job, cancellation);
    }

    /// <summary>
    /// Uploads what <paramref name="content"/> holds from its position to its end; returns the key. A failed attempt is
    /// retried only when the stream can seek back; the stream is not disposed.
    /// </summary>
    public Task<BlobKey> PutAsync(Stream content, BlobKind kind, JobId? job = null, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        CheckKind(kind, job);
        long start = content.CanSeek ? content.Position : -1;
        return RetryAsync(
            async attempt =>
            {
                if (attempt > 1)
                {
                    content.Position = start;
                }

                return await UploadAsync(content, kind, job, cancellation).ConfigureAwait(false);
            },
            content.CanSeek,
            cancellation);
    }

    /// <summary>Uploads the file at <paramref name="path"/>; returns its key.</summary>
    public async Task<BlobKey> PutFileAsync(string path, BlobKind kind, JobId? job = null, CancellationToken cancellation = default)
    {
        // Not asynchronous: the upload reads a local file inline (a copy from the page cache) rather than on another thread.
        await using FileStream file = new(path, FileMode.Open, FileAccess.Read, FileShare.Read, 0, FileOptions.SequentialScan);
        return await PutAsync(file, kind, job, cancellation).ConfigureAwait(false);
    }

    /// <summary>
    /// Downloads a blob to <paramref name="destinationPath"/> (a permanent blob of <paramref name="job"/>, or a transient
    /// blob when it is null), verified against its key; returns its length. The file appears only when complete and
    /// verified: bytes arrive in <c>destinationPath.partial</c>, from which an interrupted download resumes. Reading a
    /// transient blob confirms it, and the server deletes it.
    /// </summary>
    public Task<long> GetAsync(BlobKey key, string destinationPath, JobId? job = null, CancellationToken cancellation = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(destinationPath);
        string destination = Path.GetFullPath(destinationPath);
        return RetryAsync(_ => DownloadToFileAsync(key, destination, job, cancellation), true, cancellation);
    }

    /// <summary>Downloads a (small) blob into memory, verified against its key.</summary>
    public Task<byte[]> GetBytesAsync(BlobKey key, JobId? job = null, CancellationToken cancellation = default) =>
        RetryAsync(_ => DownloadToMemoryAsync(key, job, cancellation), true, cancellation);

    /// <summary>Whether the server has the blob, its length and its holders.</summary>
    public Task<BlobStat> StatAsync(BlobKey key, JobId? job = null) => Control(() => Server.StatAsync(job?.Value, key.Hex));

    /// <summary>References a permanent blob under <see cref="HolderId"/>, or <paramref name="holder"/>; false when the server has no such blob.</summary>
    public Task<bool> ReferenceAsync(JobId job, BlobKey key, string? holder = null) => Control(() => Server.ReferenceAsync(job.Value, key.Hex, holder ?? HolderId));

    /// <summary>Releases this client's (or <paramref name="holder"/>'s) reference to a permanent blob; after the last release and the grace, the server deletes it.</summary>
    public Task<bool> ReleaseAsync(JobId job, BlobKey key, string? holder = null) => Control(() => Server.ReleaseAsync(job.Value, key.Hex, holder ?? HolderId));

    /// <summary>Deletes a blob now (a permanent blob of <paramref name="job"/>, or a transient one when it is null); false when there was none.</summary>
    public Task<bool> DeleteAsync(BlobKey key, JobId? job = null) => Control(() => Server.DeleteAsync(job?.Value, key.Hex));

    /// <summary>Deletes every permanent blob of <paramref name="job"/>; returns how many.</summary>
    public Task<int> DeleteJobAsync(JobId job) => Control(() => Server.DeleteJobAsync(job.Value));

    private static void CheckKind(BlobKind kind, JobId? job)
    {
        if (kind == BlobKind.Permanent && job is null)
        {
            throw new ArgumentException("A permanent blob belongs to a job: pass its JobId.", nameof(job));
        }

        if (kind == BlobKind.Transient && job is not null)
        {
            throw new ArgumentException("A transient blob belongs to no job: pass no JobId (or upload it as BlobKind.Permanent).", nameof(job));
        }

        if (kind is not (BlobKind.Permanent or BlobKind.Transient))
        {
            throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown blob kind.");
        }
    }

    private async Task<T> Control<T>(Func<Task<T>> call)
    {
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (RpcRemoteException exception)
        {
            throw new BlobException(BlobError.BadRequest, $"The blob server refused the call: {exception.Message}", exception);
        }
        catch (RpcException exception)
        {
            throw new BlobException(BlobError.ConnectionLost, $"The blob server's endpoint could not be reached: {exception.Message}", exception);
        }
    }

    private async Task<T> RetryAsync<T>(Func<int, Task<T>> attempt, bool canRetry, CancellationToken cancellation)
    {
        for (int number = 1; ; number++)
        {
            try
            {
                return await attempt(number).ConfigureAwait(false);
            }
            catch (BlobException exception) when (exception.IsRetryable && canRetry && number < _options.MaxAttempts)
            {
                if (exception.Error is BlobError.ConnectionLost or BlobError.Timeout)
                {
                    _address = null;
                }

                TimeSpan delay = Backoff(number);
                BlobLog.Retrying(_logger, exception.Error, number, _options.MaxAttempts, delay.TotalMilliseconds, exception.Message);
                await Task.Delay(delay, _time, cancellation).ConfigureAwait(false);
            }
        }
    }

    /// <summary>The wait after failed attempt <paramref name="attempt"/>: doubling from the initial backoff, capped, with its jittered share random.</summary>
    internal TimeSpan Backoff(int attempt)
    {
        double full = Math.Min(_options.MaxBackoff.TotalMilliseconds, _options.InitialBackoff.TotalMilliseconds * Math.Pow(2, attempt - 1));
        return TimeSpan.FromMilliseconds(full * (1 - (_options.Jitter * Random.Shared.NextDouble())));
    }

    private async Task<TransferEndpoint> AddressAsync()
    {
        if (_fixedAddress is { } fixedAddress)
        {
            return fixedAddress;
        }

        if (_address is { } known)
        {
            return known;
        }

        string address = await Control(() => Server.GetTransferAddressAsync()).ConfigureAwait(false);
        TransferEndpoint endpoint = TransferEndpoint.Parse(address, "transfer address");
        _address = endpoint;
        return endpoint;
    }
}
