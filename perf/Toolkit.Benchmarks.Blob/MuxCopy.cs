using System.Buffers;
using System.Buffers.Binary;
using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using Nerdbank.Streams;

namespace Toolkit.Benchmarks.Blob;

/// <summary>
/// The same file copy as the raw one, through one channel of a Nerdbank.Streams <see cref="MultiplexingStream"/> over
/// a socket of its own, used as issue 16 says it must be: protocol version 3 (flow control, no handshake round trip),
/// the channel's <see cref="PipeReader"/> and <see cref="PipeWriter"/> (not <c>AsStream()</c>), the receiving window
/// capped with <see cref="MultiplexingStream.Options.MaxChannelReceivingWindowSize"/>, and no side disposing its
/// multiplexing stream before the peer confirmed: disposing right after the channel completes loses queued frames.
/// The side that receives the last message closes first; the other waits for that close.
/// <code>
/// upload    client: 'U' file-bytes (writer completed)        server: i64 length received (writer completed)
/// download  client: 'D' (writer left open)                   server: file-bytes (writer completed)   client: i64 length received
/// </code>
/// </summary>
internal static class MuxCopy
{
    private const string ChannelName = "copy";
    private const int Chunk = 1024 * 1024;
    private static readonly TimeSpan CloseTimeout = TimeSpan.FromSeconds(30);

    public static MultiplexingStream.Options Options(int windowBytes) => new()
    {
        ProtocolMajorVersion = 3,
        DefaultChannelReceivingWindowSize = Math.Min(windowBytes, new MultiplexingStream.Options().DefaultChannelReceivingWindowSize),
        MaxChannelReceivingWindowSize = windowBytes,
    };

    /// <summary>The server side: one multiplexing stream per accepted connection, one channel per copy.</summary>
    public static Socket Listen(string directory, int windowBytes)
    {
        Socket listener = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen();
        _ = Task.Run(async () =>
        {
            while (true)
            {
                Socket socket = await listener.AcceptAsync();
                socket.NoDelay = true;
                _ = Task.Run(async () =>
                {
                    try
                    {
                        await ServeAsync(socket, Path.Combine(directory, "mux.bin"), windowBytes);
                    }
                    catch (Exception exception)
                    {
                        await Console.Error.WriteLineAsync($"mux copy failed on the server: {exception}");
                    }
                });
            }
        });
        return listener;
    }

    private static async Task ServeAsync(Socket socket, string path, int windowBytes)
    {
        await using NetworkStream stream = new(socket, ownsSocket: true);
        MultiplexingStream mux = await MultiplexingStream.CreateAsync(stream, Options(windowBytes));
        await using (mux)
        {
            MultiplexingStream.Channel channel = await mux.AcceptChannelAsync(ChannelName);
            ReadResult first = await channel.Input.ReadAtLeastAsync(1);
            byte operation = first.Buffer.FirstSpan[0];
            channel.Input.AdvanceTo(first.Buffer.GetPosition(1));
            if (operation == (byte)'U')
            {
                await ReceiveAndConfirmAsync(channel, path);

                // The length is the last message: the client closes when it has it; only then may this side dispose.
                await mux.Completion.WaitAsync(CloseTimeout);
            }
            else
            {
                await using (FileStream file = new(path, FileMode.Open, FileAccess.Read, FileShare.Read, 0, FileOptions.Asynchronous | FileOptions.SequentialScan))
                {
                    await FillAsync(file, channel.Output);
                }

                await channel.Output.CompleteAsync();

                // The client's count of what arrived is the last message: this side closes once it has it.
                long length = await ReadLengthAsync(channel.Input);
                await channel.Input.CompleteAsync();
                if (length != new FileInfo(path).Length)
                {
                    throw new InvalidDataException($"the client received {length} bytes of the {new FileInfo(path).Length} sent through the channel");
                }
            }
        }
    }

    /// <summary>Uploads <paramref name="source"/> through a channel; fails unless the server received every byte.</summary>
    public static async Task UploadAsync(string address, string source, int windowBytes)
    {
        using Socket socket = await RawCopy.ConnectAsync(address);
        await using NetworkStream stream = new(socket, ownsSocket: false);
        MultiplexingStream mux = await MultiplexingStream.CreateAsync(stream, Options(windowBytes));
        await using (mux)
        {
            MultiplexingStream.Channel channel = await mux.OfferChannelAsync(ChannelName);
            long length;
            await using (FileStream file = new(source, FileMode.Open, FileAccess.Read, FileShare.Read, 0, FileOptions.Asynchronous | FileOptions.SequentialScan))
            {
                length = file.Length;
                channel.Output.GetSpan(1)[0] = (byte)'U';
                channel.Output.Advance(1);
                await FillAsync(file, channel.Output);
            }

            await channel.Output.CompleteAsync();
            long received = await ReadLengthAsync(channel.Input);
            await channel.Input.CompleteAsync();
            if (received != length)
            {
                throw new InvalidDataException($"the server received {received} of the {length} bytes sent through the channel");
            }
        }
    }

    /// <summary>Downloads the server's copy into <paramref name="destination"/>; fails unless <paramref name="expected"/> bytes arrived.</summary>
    public static async Task DownloadAsync(string address, string destination, long expected, int windowBytes)
    {
        using Socket socket = await RawCopy.ConnectAsync(address);
        await using NetworkStream stream = new(socket, ownsSocket: false);
        MultiplexingStream mux = await MultiplexingStream.CreateAsync(stream, Options(windowBytes));
        await using (mux)
        {
            MultiplexingStream.Channel channel = await mux.OfferChannelAsync(ChannelName);
            channel.Output.GetSpan(1)[0] = (byte)'D';
            channel.Output.Advance(1);
            await channel.Output.FlushAsync();
            long received = await ReceiveAndConfirmAsync(channel, destination);
            if (received != expected)
            {
                throw new InvalidDataException($"{received} of the {expected} bytes arrived through the channel");
            }

            // The count is the last message: the server closes once it has it, and only then does this side dispose.
            await mux.Completion.WaitAsync(CloseTimeout);
        }
    }

    /// <summary>File to channel in 1 MiB reads, as the raw copy reads its file.</summary>
    private static async Task FillAsync(FileStream file, PipeWriter writer)
    {
        byte[] buffer = new byte[Chunk];
        int read;
        while ((read = await file.ReadAsync(buffer)) > 0)
        {
            FlushResult flushed = await writer.WriteAsync(buffer.AsMemory(0, read));
            if (flushed.IsCompleted)
            {
                throw new IOException("the peer stopped reading the channel");
            }
        }
    }

    /// <summary>Channel to file in 1 MiB writes, as the raw copy writes its file (the channel delivers frames of at most 20 KiB).</summary>
    /// <summary>Receives the channel's bytes into <paramref name="path"/>, then answers with the length received and completes.</summary>
    private static async Task<long> ReceiveAndConfirmAsync(MultiplexingStream.Channel channel, string path)
    {
        long received;
        await using (FileStream file = new(path, FileMode.Create, FileAccess.Write, FileShare.None, 0, FileOptions.Asynchronous))
        {
            await DrainAsync(channel.Input, file);
            received = file.Length;
        }

        await channel.Input.CompleteAsync();
        await WriteLengthAsync(channel.Output, received);
        await channel.Output.CompleteAsync();
        return received;
    }

    private static async Task DrainAsync(PipeReader reader, FileStream file)
    {
        byte[] buffer = new byte[Chunk];
        int filled = 0;
        while (true)
        {
            ReadResult result = await reader.ReadAsync();
            foreach (ReadOnlyMemory<byte> segment in result.Buffer)
            {
                ReadOnlyMemory<byte> rest = segment;
                while (!rest.IsEmpty)
                {
                    int take = Math.Min(rest.Length, buffer.Length - filled);
                    rest.Span[..take].CopyTo(buffer.AsSpan(filled));
                    rest = rest[take..];
                    filled += take;
                    if (filled == buffer.Length)
                    {
                        await file.WriteAsync(buffer);
                        filled = 0;
                    }
                }
            }

            reader.AdvanceTo(result.Buffer.End);
            if (result.IsCompleted)
            {
                await file.WriteAsync(buffer.AsMemory(0, filled));
                return;
            }
        }
    }

    private static async Task WriteLengthAsync(PipeWriter writer, long length)
    {
        BinaryPrimitives.WriteInt64LittleEndian(writer.GetSpan(8), length);
        writer.Advance(8);
        await writer.FlushAsync();
    }

    private static async Task<long> ReadLengthAsync(PipeReader reader)
    {
        ReadResult result = await reader.ReadAtLeastAsync(8);
        if (result.Buffer.Length < 8)
        {
            throw new EndOfStreamException($"the channel ended after {result.Buffer.Length} of the 8 bytes of a length");
        }

        byte[] bytes = result.Buffer.Slice(0, 8).ToArray();
        reader.AdvanceTo(result.Buffer.GetPosition(8));
        return BinaryPrimitives.ReadInt64LittleEndian(bytes);
    }
}
