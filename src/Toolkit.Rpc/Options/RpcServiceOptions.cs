using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Toolkit.Rpc;

/// <summary>How an <see cref="RpcService"/> behaves.</summary>
public sealed class RpcServiceOptions
{
    /// <summary>The service's unique id; a new random one by default.</summary>
    public string? NodeId { get; init; }

    /// <summary>
    /// Where the service listens for other services, as <c>host:port</c> (<c>127.0.0.1:6123</c>; port 0 picks a
    /// free one; <c>0.0.0.0</c> or <c>*</c> for every interface). Null by default: a client-mode service, which can
    /// call out and is called back over the connections it opens.
    /// </summary>
    public string? Listen { get; init; }

    /// <summary>Authentication, TLS, frame and back-pressure limits of connections to other services.</summary>
    public RpcTransportOptions Transport { get; init; } = new();

    /// <summary>
    /// What carries <see cref="Stream"/> and <see cref="System.IO.Pipelines.PipeReader"/> arguments and results, and
    /// offloads arguments and results over the frame limit, on a second connection to each peer: null by default (no
    /// byte streams). Set it to <c>new MultiplexedByteStreams()</c> from the <c>Toolkit.Rpc.Streams</c> package, on
    /// both services of a pair.
    /// </summary>
    public RpcByteStreams? ByteStreams { get; init; }

    /// <summary>The timeout of calls whose method declares none; 10 seconds by default.</summary>
    public TimeSpan DefaultTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How often deadlines are checked; a call times out at most this much after its timeout. 10 ms by default.
    /// </summary>
    public TimeSpan TimeoutCheckInterval { get; init; } = TimeSpan.FromMilliseconds(10);

    /// <summary>
    /// Sends calls between endpoints of this service through the generated serializers and dispatch tables, as
    /// remote calls are, instead of passing the arguments by reference. Tests turn it on to prove that every
    /// message crosses the wire; it costs an encode and a decode per call.
    /// </summary>
    public bool SerializeLocalCalls { get; init; }

    /// <summary>
    /// How many items of an item stream (a gateway method returning <c>IAsyncEnumerable&lt;T&gt;</c>) this service,
    /// as the consumer, lets a producer run ahead of what it has consumed: 8,192 by default, at least 256. The producer
    /// waits for credit beyond it, so a slow consumer bounds the producer's memory and its own.
    /// </summary>
    public int ItemStreamWindow
    {
        get;
        init => field = value >= 256 ? value : throw new ArgumentOutOfRangeException(nameof(ItemStreamWindow), value, "The item stream window is at least 256 items (the credit every stream starts with).");
    } = 8192;

    /// <summary>
    /// How deep objects may nest in the messages this service writes and reads, 256 by default; deeper data is refused
    /// with a serialization error (as is data deeper than a thread's stack can take, whatever the limit). Raise it for
    /// legitimately deep messages, on both sides.
    /// </summary>
    public int MaxDepth { get; init; } = RpcWriter.DefaultMaxDepth;

    /// <summary>The clock for timeouts and scheduled work; tests pass a manual one.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Where the service and its endpoints log.</summary>
    public ILoggerFactory LoggerFactory { get; init; } = NullLoggerFactory.Instance;

    /// <summary>
    /// Where the service's meter (<c>Toolkit.Rpc</c>) comes from: a host's factory, so that its
    /// metrics can be told apart from another host's; null (the default) makes the service a meter of its own.
    /// </summary>
    public IMeterFactory? MeterFactory { get; init; }

    internal void Validate()
    {
        if (DefaultTimeout <= TimeSpan.Zero && DefaultTimeout != Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentOutOfRangeException(nameof(DefaultTimeout), DefaultTimeout, "The default timeout must be positive or Timeout.InfiniteTimeSpan.");
        }

        if (TimeoutCheckInterval <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(TimeoutCheckInterval), TimeoutCheckInterval, "The timeout check interval must be positive.");
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(MaxDepth, 1, nameof(MaxDepth));
        ArgumentNullException.ThrowIfNull(TimeProvider);
        ArgumentNullException.ThrowIfNull(Transport);
        Transport.Validate();
        ArgumentNullException.ThrowIfNull(LoggerFactory);
    }
}
