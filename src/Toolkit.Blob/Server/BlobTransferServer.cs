using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Toolkit.Rpc;

namespace Toolkit.Blob;

/// <summary>
/// The server's transfer side: the store, the listener that accepts one connection per transfer, the admission that
/// bounds them, and the cleanup timer. Started and stopped by <see cref="BlobServerEndpoint"/>.
/// </summary>
internal sealed class BlobTransferServer : IAsyncDisposable
{
    private readonly CancellationTokenSource _stopping = new();
    private readonly ConcurrentDictionary<TransferHandler, Task> _transfers = new();
    private Socket? _listener;
    private Task? _accepting;
    private ITimer? _cleanup;

    public BlobTransferServer(BlobServerOptions options, IBlobHaStore? haStore, RpcTransportOptions rpcTransport, TimeProvider time, ILogger logger, BlobMetrics metrics)
    {
        options.Validate();
        Options = options;
        Time = time;
        Logger = logger;
        Metrics = metrics;
        SharedSecret = options.SharedSecret ?? rpcTransport.SharedSecret;
        Tls = rpcTransport.Tls;
        IBlobHaStore? ha = haStore ?? (options.HaDirectory is { } directory ? new SharedDirectoryBlobHaStore(directory) : null);
        Store = new BlobStore(options, ha, time, logger, metrics);
        Admission = new TransferAdmission(options.MaxConcurrentTransfers, options.MaxBacklog);
        HaDescription = ha?.Description ?? "none";
    }

    public BlobServerOptions Options { get; }

    public TimeProvider Time { get; }

    public ILogger Logger { get; }

    public BlobMetrics Metrics { get; }

    public BlobStore Store { get; }

    public TransferAdmission Admission { get; }

    public string? SharedSecret { get; }

    public RpcTlsOptions? Tls { get; }

    public string HaDescription { get; }

    /// <summary>Where clients connect for transfers, <c>host:port</c>.</summary>
    public string Address { get; private set; } = "";

    public async Task StartAsync(CancellationToken cancellation)
    {
        (int blobs, int dropped) = await Store.RecoverAsync(cancellation).ConfigureAwait(false);
        TransferEndpoint listen = TransferEndpoint.Parse(Options.Listen, nameof(Options.Listen));
        IPAddress address = listen.Host is "*" or "" ? IPAddress.IPv6Any
            : IPAddress.TryParse(listen.Host, out IPAddress? parsed) ? parsed
            : (await Dns.GetHostAddressesAsync(listen.Host, cancellation).ConfigureAwait(false))[0];
        Socket listener = new(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            if (address.Equals(IPAddress.IPv6Any))
            {
                listener.DualMode = true;
            }

            listener.Bind(new IPEndPoint(address, listen.Port));
            listener.Listen(Math.Clamp(Options.MaxBacklog, 16, 4096));
        }
        catch (SocketException exception)
        {
            listener.Dispose();
            throw new BlobException(BlobError.ServerError, $"The blob server cannot listen on {listen}: {exception.SocketErrorCode}: {exception.Message}", exception);
        }

        _listener = listener;
        int port = ((IPEndPoint)listener.LocalEndPoint!).Port;
        Address = new TransferEndpoint(Options.AdvertisedHost ?? (listen.Host is "*" or "" ? Dns.GetHostName() : listen.Host), port).ToString();
        _accepting = AcceptAsync(listener);
        _cleanup = Time.CreateTimer(_ => _ = CleanupAsync(), null, Options.CleanupInterval, Options.CleanupInterval);
        BlobLog.Started(Logger, Address, Store.Root, blobs, dropped, HaDescription);
    }

    /// <summary>Runs a cleanup now (the timer runs one every <see cref="BlobServerOptions.CleanupInterval"/>).</summary>
    public async Task<int> CleanupAsync()
    {
        try
        {
            return await Store.CleanupAsync().ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            BlobLog.CleanupFailed(Logger, exception);
            return 0;
        }
    }

    private async Task AcceptAsync(Socket listener)
    {
        while (!_stopping.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await listener.AcceptAsync(_stopping.Token).ConfigureAwait(false);
            }
            catch (Exception exception) when (exception is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                if (_stopping.IsCancellationRequested)
                {
                    return;
                }

                continue;
            }

            TransferHandler handler = new(this, socket);
            Task transfer = Task.Run(() => handler.RunAsync(_stopping.Token));
            _transfers[handler] = transfer;

            // Removed by a continuation, so that a transfer that ends at once is still removed after it was added.
            _ = transfer.ContinueWith(static (_, state) => ((Action)state!)(), (Action)(() => _transfers.TryRemove(handler, out _)), CancellationToken.None,
                TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }
    }

    /// <summary>Stops accepting, aborts the running transfers (their uploads are discarded) and waits for them to end.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_stopping.IsCancellationRequested)
        {
            return;
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        _cleanup?.Dispose();
        _listener?.Dispose();
        if (_accepting is not null)
        {
            await _accepting.ConfigureAwait(false);
        }

        foreach (TransferHandler handler in _transfers.Keys)
        {
            handler.Abort();
        }

        await Task.WhenAll(_transfers.Values).ConfigureAwait(false);
        BlobLog.Stopped(Logger, Address);
    }
}
