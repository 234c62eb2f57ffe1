using System.Buffers;
using System.Buffers.Binary;
using System.IO.Pipelines;
using System.Text;
using Nerdbank.Streams;

namespace Toolkit.Rpc.Streams;

/// <summary>
/// The receiving end of a byte stream: a <see cref="PipeReader"/> over the channel the peer sends on, which hands out
/// the chunks' bytes (<see cref="ChunkFormat"/>) without copying them and ends only at the sender's end mark, whose
/// count it checks. A channel that closes before its end mark — the peer died, the connection broke — or a source that
/// failed on the sender's side is an <see cref="IOException"/>, never a short read. Completing the reader early tells
/// the sender to stop.
/// </summary>
internal sealed class ChannelReader(MultiplexedLink link, Task<MultiplexingStream.Channel> accepted, string what) : PipeReader
{
    private MultiplexingStream.Channel? _channel;
    private PipeReader? _input;
    private long _leftInChunk;
    private long _received;
    private bool _ended;
    private bool _completed;

    // What the last read handed out, and whether it is all the channel had buffered (else a chunk boundary cut it).
    private ReadOnlySequence<byte> _presented;
    private bool _presentedAll;

    private enum Step
    {
        Present,
        Again,
        NeedMore,
    }

    public override async ValueTask<ReadResult> ReadAsync(CancellationToken cancellationToken = default)
    {
        if (_ended)
        {
            return new ReadResult(ReadOnlySequence<byte>.Empty, isCanceled: false, isCompleted: true);
        }

        PipeReader input = _input ?? await OpenAsync(cancellationToken).ConfigureAwait(false);
        while (true)
        {
            ReadResult read;
            try
            {
                read = await input.ReadAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                throw;
            }
            catch (Exception exception)
            {
                throw CutOff(exception);
            }

            if (read.IsCanceled)
            {
                return new ReadResult(ReadOnlySequence<byte>.Empty, isCanceled: true, isCompleted: false);
            }

            if (Parse(input, read, out ReadResult presented) == Step.Present)
            {
                return presented;
            }
        }
    }

    public override bool TryRead(out ReadResult result)
    {
        result = default;
        if (_ended)
        {
            result = new ReadResult(ReadOnlySequence<byte>.Empty, isCanceled: false, isCompleted: true);
            return true;
        }

        if (_input is not { } input)
        {
            return false;
        }

        while (input.TryRead(out ReadResult read))
        {
            switch (Parse(input, read, out result))
            {
                case Step.Present:
                    return true;
                case Step.NeedMore:
                    return false;
            }
        }

        return false;
    }

    public override void AdvanceTo(SequencePosition consumed) => AdvanceTo(consumed, consumed);

    public override void AdvanceTo(SequencePosition consumed, SequencePosition examined)
    {
        if (_ended || _input is null)
        {
            return;
        }

        long used = _presented.Slice(0, consumed).Length;
        _leftInChunk -= used;
        _received += used;

        // Examining all that was handed out means "wait for more" only if the channel had no more buffered: when a
        // chunk boundary cut it, the next read goes on at once with the next header.
        bool examinedAll = _presented.Slice(examined).IsEmpty;
        _input.AdvanceTo(consumed, examinedAll && !_presentedAll ? consumed : examined);
        _presented = default;
    }

    public override void CancelPendingRead() => _input?.CancelPendingRead();

    public override void Complete(Exception? exception = null)
    {
        if (_completed)
        {
            return;
        }

        _completed = true;
        if (_channel is { } channel)
        {
            // Read to the end: the sender has nothing left queued. Left early: the sender hears of it and stops.
            channel.Dispose();
        }
        else
        {
            _ = DisposeWhenAcceptedAsync();
        }
    }

    private async ValueTask<PipeReader> OpenAsync(CancellationToken cancellationToken)
    {
        try
        {
            _channel = await accepted.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception exception)
        {
            throw CutOff(exception);
        }

        _input = _channel.Input;
        return _input;
    }

    // Takes a header off the front when a chunk is done, or hands out the chunk's bytes that are buffered.
    private Step Parse(PipeReader input, ReadResult read, out ReadResult presented)
    {
        presented = default;
        ReadOnlySequence<byte> buffer = read.Buffer;
        if (_leftInChunk == 0)
        {
            if (buffer.Length < ChunkFormat.HeaderSize)
            {
                return NeedMore(input, read);
            }

            int header = ReadInt32(buffer);
            if (header > 0)
            {
                _leftInChunk = header;
                input.AdvanceTo(buffer.GetPosition(ChunkFormat.HeaderSize));
                return Step.Again;
            }

            if (header == ChunkFormat.End)
            {
                if (buffer.Length < ChunkFormat.EndSize)
                {
                    return NeedMore(input, read);
                }

                Span<byte> end = stackalloc byte[ChunkFormat.EndSize];
                buffer.Slice(0, ChunkFormat.EndSize).CopyTo(end);
                long total = BinaryPrimitives.ReadInt64LittleEndian(end[ChunkFormat.HeaderSize..]);
                input.AdvanceTo(buffer.GetPosition(ChunkFormat.EndSize));
                if (total != _received)
                {
                    throw new IOException($"{what} from {link.Context.DisplayAddress} is corrupt: its sender sent {total:N0} bytes, {_received:N0} arrived.");
                }

                // Everything arrived: the channel goes now, which tells the sender it may let go of its source.
                _ended = true;
                _channel!.Dispose();
                presented = new ReadResult(ReadOnlySequence<byte>.Empty, isCanceled: false, isCompleted: true);
                return Step.Present;
            }

            if (header == ChunkFormat.Fault)
            {
                if (buffer.Length < 2 * ChunkFormat.HeaderSize || buffer.Length < 2 * ChunkFormat.HeaderSize + ReadInt32(buffer.Slice(ChunkFormat.HeaderSize)))
                {
                    return NeedMore(input, read);
                }

                int length = ReadInt32(buffer.Slice(ChunkFormat.HeaderSize));
                string message = Encoding.UTF8.GetString(buffer.Slice(2 * ChunkFormat.HeaderSize, length));
                throw new IOException($"{what} from {link.Context.DisplayAddress} failed on its sender's side after {_received:N0} bytes: {message}");
            }

            throw new IOException($"{what} from {link.Context.DisplayAddress} is corrupt: a chunk header says {header}.");
        }

        if (buffer.IsEmpty)
        {
            return NeedMore(input, read);
        }

        _presented = buffer.Length <= _leftInChunk ? buffer : buffer.Slice(0, _leftInChunk);
        _presentedAll = _presented.Length == buffer.Length;
        presented = new ReadResult(_presented, isCanceled: false, isCompleted: false);
        return Step.Present;
    }

    private Step NeedMore(PipeReader input, ReadResult read)
    {
        if (read.IsCompleted)
        {
            throw CutOff(null);
        }

        input.AdvanceTo(read.Buffer.Start, read.Buffer.End);
        return Step.NeedMore;
    }

    private IOException CutOff(Exception? cause)
    {
        string why = link.Closed.IsCancellationRequested ? link.CloseReason : cause?.Message ?? "the channel closed before the stream's end";
        return new IOException($"{what} from {link.Context.DisplayAddress} was cut off after {_received:N0} bytes: {why}", cause);
    }

    private async Task DisposeWhenAcceptedAsync()
    {
        try
        {
            (await accepted.ConfigureAwait(false)).Dispose();
        }
        catch (Exception)
        {
            // Never accepted: nothing to dispose.
        }
    }

    private static int ReadInt32(ReadOnlySequence<byte> buffer)
    {
        Span<byte> bytes = stackalloc byte[ChunkFormat.HeaderSize];
        buffer.Slice(0, ChunkFormat.HeaderSize).CopyTo(bytes);
        return BinaryPrimitives.ReadInt32LittleEndian(bytes);
    }
}
