using System.IO.Pipelines;
using Nerdbank.Streams;

namespace Toolkit.Rpc.Streams;

/// <summary>
/// The multiplexer over one byte-stream link. It starts once the link's handshake is done; a sent stream is a named
/// channel this side offers (<see cref="ChannelSender"/>), a received one a channel it accepts by name
/// (<see cref="ChannelReader"/>). The multiplexer is disposed only when its call connection closes — never as a
/// channel ends, since disposing it drops frames it has queued but not written.
/// </summary>
internal sealed class MultiplexedLink : ByteStreamLink
{
    private readonly ByteStreamLinkContext _context;
    private readonly CancellationTokenSource _closed = new();
    private readonly Task<MultiplexingStream> _multiplexer;
    private Exception? _closeReason;

    public MultiplexedLink(Task<Stream> transport, ByteStreamLinkContext context, MultiplexingStream.Options options)
    {
        _context = context;
        _multiplexer = StartAsync(transport, options);

        // A link that never opens fails its channels, and its call connection with it (the next call opens both again).
        _multiplexer.ContinueWith(static (task, state) => ((MultiplexedLink)state!).OnStartFailed(task.Exception!.GetBaseException()), this, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
    }

    public ByteStreamLinkContext Context => _context;

    /// <summary>Cancelled when the call connection closes.</summary>
    public CancellationToken Closed => _closed.Token;

    /// <summary>Why the link closed, for the errors of streams it cut.</summary>
    public string CloseReason => _closeReason?.Message ?? "the connection closed";

    /// <summary>The multiplexer, once the link is open; faults when it could not be opened.</summary>
    public Task<MultiplexingStream> Multiplexer => _multiplexer;

    public override void Send(string name, object source, string what) => _ = new ChannelSender(this, name, source, what).RunAsync();

    public override PipeReader Receive(string name, string what) => new ChannelReader(this, AcceptAsync(name), what);

    public override void Close(Exception reason)
    {
        Interlocked.CompareExchange(ref _closeReason, reason, null);
        _closed.Cancel();
        _ = DisposeAsync();
    }

    private void OnStartFailed(Exception reason)
    {
        if (!_closed.IsCancellationRequested)
        {
            LinkLog.Lost(_context.Logger, _context.DisplayAddress, reason.Message);
            _context.Lost(reason);
        }
    }

    private async Task<MultiplexingStream.Channel> AcceptAsync(string name)
    {
        MultiplexingStream multiplexer = await _multiplexer.ConfigureAwait(false);
        return await multiplexer.AcceptChannelAsync(name, _closed.Token).ConfigureAwait(false);
    }

    private async Task<MultiplexingStream> StartAsync(Task<Stream> transport, MultiplexingStream.Options options)
    {
        Stream stream = await transport.ConfigureAwait(false);
        if (_closed.IsCancellationRequested)
        {
            await stream.DisposeAsync().ConfigureAwait(false);
            throw new IOException($"the byte-stream connection to {_context.DisplayAddress} closed: {CloseReason}");
        }

        MultiplexingStream multiplexer = MultiplexingStream.Create(stream, options);
        _ = WatchAsync(multiplexer);
        return multiplexer;
    }

    // The link ends before its call connection only when it fails: the call connection then closes with it.
    private async Task WatchAsync(MultiplexingStream multiplexer)
    {
        Exception reason;
        try
        {
            await multiplexer.Completion.ConfigureAwait(false);
            reason = new IOException("the peer closed it");
        }
        catch (Exception exception)
        {
            reason = exception;
        }

        if (!_closed.IsCancellationRequested)
        {
            LinkLog.Lost(_context.Logger, _context.DisplayAddress, reason.Message);
            _context.Lost(reason);
        }
    }

    private async Task DisposeAsync()
    {
        try
        {
            MultiplexingStream multiplexer = await _multiplexer.ConfigureAwait(false);
            await multiplexer.DisposeAsync().ConfigureAwait(false);
        }
        catch (Exception)
        {
            // A link that never opened has nothing to dispose.
        }
    }
}
