using System.IO.Pipelines;
using Nerdbank.Streams;

namespace Toolkit.Benchmarks.Streams;

/// <summary>
/// The same bytes through a bare <see cref="MultiplexingStream"/> channel over a plain socket, with the options the
/// byte-stream link uses and nothing of Toolkit on top: what the multiplexer itself costs, beside what Toolkit adds.
/// </summary>
internal static class BareChannel
{
    public static MultiplexingStream Create(Stream transport, int window) => MultiplexingStream.Create(transport, new MultiplexingStream.Options
    {
        ProtocolMajorVersion = 3,
        DefaultChannelReceivingWindowSize = window,
        MaxChannelReceivingWindowSize = window,
    });

    /// <summary>Writes <paramref name="size"/> bytes from a block source, flushing every 64 KiB as the link's sender does.</summary>
    public static async Task SendAsync(MultiplexingStream.Channel channel, long size)
    {
        await using BlockStream source = new(size);
        PipeWriter output = channel.Output;
        while (true)
        {
            Memory<byte> memory = output.GetMemory(64 * 1024);
            int read = await source.ReadAsync(memory);
            if (read == 0)
            {
                break;
            }

            output.Advance(read);
            await output.FlushAsync();
        }

        await output.CompleteAsync();
        await channel.Input.ReadAsync();
    }

    /// <summary>Reads the channel to its end; completes its writing side after, which tells the sender it may go.</summary>
    public static async Task<long> ReceiveAsync(MultiplexingStream.Channel channel)
    {
        PipeReader input = channel.Input;
        long total = 0;
        while (true)
        {
            ReadResult read = await input.ReadAsync();
            total += read.Buffer.Length;
            input.AdvanceTo(read.Buffer.End);
            if (read.IsCompleted)
            {
                break;
            }
        }

        await input.CompleteAsync();
        await channel.Output.CompleteAsync();
        return total;
    }
}
