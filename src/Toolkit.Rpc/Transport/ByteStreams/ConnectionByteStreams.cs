using System.Buffers;
using System.IO.Pipelines;
using Toolkit.Rpc.Transport.Protocol;

namespace Toolkit.Rpc.Transport;

/// <summary>
/// The byte streams of one call connection: each stream written on it becomes a channel of the connection's
/// <see cref="ByteStreamLink"/>, named by the sending side's role (<c>o</c> for the side that opened the connection,
/// <c>a</c> for the side that accepted it) and the token the sender numbered it with, so that neither side's names
/// collide with the other's. When either side has no byte streams, writing or reading one fails saying which.
/// </summary>
internal sealed class ConnectionByteStreams : ByteStreamScope
{
    private readonly RpcConnection _connection;
    private readonly ByteStreamLink? _link;
    private readonly string? _missing;
    private readonly int _offloadThreshold;
    private long _lastToken;

    private ConnectionByteStreams(RpcConnection connection, ByteStreamLink? link, string? missing)
    {
        _connection = connection;
        _link = link;
        _missing = missing;
        _offloadThreshold = connection.Host.Options.ByteStreams?.OffloadThreshold ?? int.MaxValue;
    }

    /// <summary>How large a request or reply frame may grow while it is written: up to what may be offloaded, when both sides carry byte streams.</summary>
    public int FrameGrowthLimit => _link is not null && _offloadThreshold < OffloadedFrame.MaxLength ? OffloadedFrame.MaxLength : _connection.FrameLimit;

    /// <summary>Whether a request or reply frame of <paramref name="length"/> bytes goes through a byte stream (<see cref="RpcByteStreams.OffloadThreshold"/>).</summary>
    public bool ShouldOffload(int length) => _link is not null && length > _offloadThreshold && length <= OffloadedFrame.MaxLength;

    /// <summary>
    /// Sends <paramref name="frame"/> (a whole request or reply frame) on a channel of its own, and returns the small
    /// <see cref="FrameType.Offloaded"/> frame to queue on the call connection in its place.
    /// </summary>
    public byte[] Offload(ReadOnlySpan<byte> frame, bool isReply)
    {
        byte[] copy = frame.ToArray();
        long token = Offer(PipeReader.Create(new ReadOnlySequence<byte>(copy)), isReply ? "An offloaded reply" : "An offloaded request");
        FrameBuffer small = FrameBuffer.Rent(FrameType.Offloaded);
        try
        {
            new OffloadedFrame(token, copy.Length, isReply).Write(small);
            return small.Complete().ToArray();
        }
        finally
        {
            small.Return();
        }
    }

    /// <summary>Reads the frame an <see cref="FrameType.Offloaded"/> frame stands for, exactly its declared length.</summary>
    public async Task<byte[]> FetchAsync(OffloadedFrame offloaded)
    {
        string what = offloaded.IsReply ? "An offloaded reply" : "An offloaded request";
        PipeReader reader = (PipeReader)Accept(offloaded.Token, asStream: false, what);
        byte[] frame = new byte[offloaded.Length];
        long filled = 0;
        try
        {
            while (true)
            {
                ReadResult read = await reader.ReadAsync(_connection.Closing).ConfigureAwait(false);
                if (filled + read.Buffer.Length > frame.Length)
                {
                    throw new ProtocolViolationException($"{what} from {_connection.DisplayAddress} is longer than the {frame.Length:N0} bytes it declared");
                }

                read.Buffer.CopyTo(frame.AsSpan((int)filled));
                filled += read.Buffer.Length;
                reader.AdvanceTo(read.Buffer.End);
                if (read.IsCompleted)
                {
                    break;
                }
            }
        }
        finally
        {
            await reader.CompleteAsync().ConfigureAwait(false);
        }

        return filled == frame.Length
            ? frame
            : throw new ProtocolViolationException($"{what} from {_connection.DisplayAddress} has {filled:N0} bytes, not the {frame.Length:N0} it declared");
    }

    /// <summary>
    /// The byte streams of <paramref name="connection"/> to <paramref name="displayAddress"/>, whose peer announced <paramref name="peerFeatures"/>;
    /// <paramref name="transport"/> is the second connection's authenticated stream, when both sides carry byte streams.
    /// </summary>
    public static ConnectionByteStreams Create(RpcConnection connection, byte peerFeatures, string displayAddress, Func<Task<Stream>> transport)
    {
        RpcByteStreams? own = connection.Host.Options.ByteStreams;
        bool peerHas = (peerFeatures & Protocol.HelloFrame.ByteStreamsFeature) != 0;
        if (own is null || !peerHas)
        {
            string missing = own is null
                ? $"service {connection.Host.NodeId} carries no byte streams; reference the Toolkit.Rpc.Streams package and set RpcServiceOptions.ByteStreams = new MultiplexedByteStreams() on both services"
                : $"{displayAddress} carries no byte streams; set RpcServiceOptions.ByteStreams (Toolkit.Rpc.Streams) on it too";
            return new ConnectionByteStreams(connection, null, missing);
        }

        ByteStreamLinkContext context = new(
            displayAddress,
            IsOpener: !connection.IsInbound,
            own.UnclaimedTimeout,
            connection.Logger,
            reason => connection.Close(new IOException($"the byte-stream connection was lost: {reason.Message}", reason)));
        return new ConnectionByteStreams(connection, own.CreateLink(transport(), context), null);
    }

    public override long Offer(object source, string what)
    {
        ByteStreamLink link = _link ?? throw new RpcSerializationException($"{what} cannot be sent to {_connection.DisplayAddress}: {_missing}.");
        long token = Interlocked.Increment(ref _lastToken);
        link.Send(Name(ownedByOpener: !_connection.IsInbound, token), source, what);
        return token;
    }

    public override object Accept(long token, bool asStream, string what)
    {
        ByteStreamLink link = _link ?? throw new RpcSerializationException($"{what} cannot be received from {_connection.DisplayAddress}: {_missing}.");
        PipeReader reader = link.Receive(Name(ownedByOpener: _connection.IsInbound, token), what);
        return asStream ? reader.AsStream() : reader;
    }

    /// <summary>Closes the link with the call connection: streams in flight fail with <paramref name="reason"/>.</summary>
    public void Close(Exception reason) => _link?.Close(reason);

    private static string Name(bool ownedByOpener, long token) => (ownedByOpener ? "o" : "a") + token.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
