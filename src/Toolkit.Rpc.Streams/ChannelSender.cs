using System.Buffers;
using System.Buffers.Binary;
using System.IO.Pipelines;
using System.Text;
using Nerdbank.Streams;

namespace Toolkit.Rpc.Streams;

/// <summary>
/// Sends one stream: offers its channel, waits for the receiver to take it (at most the unclaimed timeout), copies the
/// source into the channel as chunks (<see cref="ChunkFormat"/>) with the channel's flow control, ends with the count
/// of bytes sent — or with the source's failure — and disposes the channel only once the receiver has finished with
/// it, so that nothing queued is lost. The source — a <see cref="Stream"/>, read straight into the channel's buffers, or
/// a <see cref="PipeReader"/> — is disposed or completed whatever happens.
/// </summary>
internal sealed class ChannelSender(MultiplexedLink link, string name, object source, string what)
{
    // How much a Stream source is asked for at a time: one chunk, read into the channel's own buffer.
    private const int StreamChunk = 64 * 1024;

    private long _sent;

    // Cancelled when the link closes or the receiver leaves: a source read that waits (a stalled source) stops then too.
    private CancellationToken _stop;

    public async Task RunAsync()
    {
        using CancellationTokenSource stop = CancellationTokenSource.CreateLinkedTokenSource(link.Closed);
        _stop = stop.Token;
        MultiplexingStream.Channel? channel = null;
        Exception? sourceFailure = null;
        string outcome = "sent whole";
        try
        {
            channel = await OfferAsync().ConfigureAwait(false);
            if (channel is null)
            {
                outcome = "not taken";
                return;
            }

            Task receiverDone = WaitForReceiverAsync(channel.Input);
            _ = receiverDone.ContinueWith(static (_, state) => StopQuietly((CancellationTokenSource)state!), stop, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            PipeWriter output = channel.Output;
            try
            {
                if (!await CopyAsync(output, receiverDone).ConfigureAwait(false))
                {
                    outcome = "the receiver left before the end";
                    return;
                }
            }
            catch (OperationCanceledException) when (receiverDone.IsCompleted && !link.Closed.IsCancellationRequested)
            {
                outcome = "the receiver left before the end";
                return;
            }
            catch (Exception exception) when (!link.Closed.IsCancellationRequested && !receiverDone.IsCompleted && exception is not OperationCanceledException)
            {
                // The source failed: the receiver hears why instead of an end.
                sourceFailure = exception;
                WriteFault(output, exception);
            }

            if (sourceFailure is null)
            {
                Span<byte> end = output.GetSpan(ChunkFormat.EndSize);
                BinaryPrimitives.WriteInt32LittleEndian(end, ChunkFormat.End);
                BinaryPrimitives.WriteInt64LittleEndian(end[ChunkFormat.HeaderSize..], _sent);
                output.Advance(ChunkFormat.EndSize);
            }
            else
            {
                outcome = $"the source failed: {sourceFailure.Message}";
            }

            await output.FlushAsync(link.Closed).ConfigureAwait(false);
            await output.CompleteAsync().ConfigureAwait(false);

            // The channel goes only once the receiver has read to the end: disposing earlier may drop queued frames.
            await receiverDone.WaitAsync(link.Closed).ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            outcome = link.Closed.IsCancellationRequested ? $"the connection closed ({link.CloseReason})" : exception.Message;
        }
        finally
        {
            LinkLog.SendEnded(link.Context.Logger, what, link.Context.DisplayAddress, _sent, outcome);
            if (source is PipeReader reader)
            {
                await reader.CompleteAsync(sourceFailure).ConfigureAwait(false);
            }
            else
            {
                await ((Stream)source).DisposeAsync().ConfigureAwait(false);
            }

            channel?.Dispose();
        }
    }

    // The channel once the receiver took it; null when it was not taken in time (the source is then given up).
    private async Task<MultiplexingStream.Channel?> OfferAsync()
    {
        MultiplexingStream multiplexer = await link.Multiplexer.ConfigureAwait(false);
        using CancellationTokenSource unclaimed = CancellationTokenSource.CreateLinkedTokenSource(link.Closed);
        unclaimed.CancelAfter(link.Context.UnclaimedTimeout);
        try
        {
            return await multiplexer.OfferChannelAsync(name, unclaimed.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!link.Closed.IsCancellationRequested)
        {
            LinkLog.Unclaimed(link.Context.Logger, what, link.Context.DisplayAddress, link.Context.UnclaimedTimeout.TotalMilliseconds);
            return null;
        }
    }

    // Copies the source as chunks; false when the receiver left first.
    private Task<bool> CopyAsync(PipeWriter output, Task receiverDone) =>
        source is PipeReader reader ? CopyAsync(reader, output, receiverDone) : CopyAsync((Stream)source, output, receiverDone);

    private async Task<bool> CopyAsync(Stream stream, PipeWriter output, Task receiverDone)
    {
        while (true)
        {
            Memory<byte> memory = output.GetMemory(ChunkFormat.HeaderSize + StreamChunk);
            int read = await stream.ReadAsync(memory[ChunkFormat.HeaderSize..], _stop).ConfigureAwait(false);
            if (read == 0)
            {
                return true;
            }

            BinaryPrimitives.WriteInt32LittleEndian(memory.Span, read);
            output.Advance(ChunkFormat.HeaderSize + read);
            _sent += read;
            FlushResult flushed = await output.FlushAsync(_stop).ConfigureAwait(false);
            if (flushed.IsCompleted || receiverDone.IsCompleted)
            {
                return false;
            }
        }
    }

    private async Task<bool> CopyAsync(PipeReader source, PipeWriter output, Task receiverDone)
    {
        while (true)
        {
            ReadResult read = await source.ReadAsync(_stop).ConfigureAwait(false);
            ReadOnlySequence<byte> buffer = read.Buffer;
            while (!buffer.IsEmpty)
            {
                int length = (int)Math.Min(buffer.Length, ChunkFormat.MaxChunk);
                Span<byte> header = output.GetSpan(ChunkFormat.HeaderSize);
                BinaryPrimitives.WriteInt32LittleEndian(header, length);
                output.Advance(ChunkFormat.HeaderSize);
                foreach (ReadOnlyMemory<byte> segment in buffer.Slice(0, length))
                {
                    output.Write(segment.Span);
                }

                buffer = buffer.Slice(length);
                _sent += length;
            }

            source.AdvanceTo(read.Buffer.End);
            FlushResult flushed = await output.FlushAsync(_stop).ConfigureAwait(false);
            if (flushed.IsCompleted || receiverDone.IsCompleted)
            {
                return false;
            }

            if (read.IsCompleted)
            {
                return true;
            }
        }
    }

    // The receiver may leave after this sender finished and disposed its token source.
    private static void StopQuietly(CancellationTokenSource stop)
    {
        try
        {
            stop.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // Done already: nothing to stop.
        }
    }

    private static void WriteFault(PipeWriter output, Exception exception)
    {
        string message = $"{exception.GetType().Name}: {exception.Message}";
        byte[] text = Encoding.UTF8.GetBytes(message.Length > ChunkFormat.MaxFaultMessage ? message[..ChunkFormat.MaxFaultMessage] : message);
        Span<byte> header = output.GetSpan(2 * ChunkFormat.HeaderSize);
        BinaryPrimitives.WriteInt32LittleEndian(header, ChunkFormat.Fault);
        BinaryPrimitives.WriteInt32LittleEndian(header[ChunkFormat.HeaderSize..], text.Length);
        output.Advance(2 * ChunkFormat.HeaderSize);
        output.Write(text);
    }

    // The receiver writes nothing on the channel: its side completes when it has read to the end, or left.
    private static async Task WaitForReceiverAsync(PipeReader input)
    {
        try
        {
            while (true)
            {
                ReadResult read = await input.ReadAsync().ConfigureAwait(false);
                input.AdvanceTo(read.Buffer.End);
                if (read.IsCompleted || read.IsCanceled)
                {
                    return;
                }
            }
        }
        catch (Exception)
        {
            // A channel that failed is done too.
        }
    }
}
