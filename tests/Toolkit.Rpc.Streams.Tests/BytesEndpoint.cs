using System.IO.Pipelines;

namespace Toolkit.Rpc.Streams.Tests;

public sealed class BytesEndpoint : RpcEndpoint, IBytesGateway
{
    private readonly TaskCompletionSource<Exception?> _held = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _holding = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The last stream this endpoint returned, so tests see when its sender let go of it.</summary>
    internal PatternStream? LastProduced { get; private set; }

    /// <summary>The last stream <see cref="ProduceStalledAsync"/> returned.</summary>
    internal StalledStream? LastStalled { get; private set; }

    /// <summary>The lengths <see cref="RecordAsync"/> saw, in the order its calls ran (on the main thread).</summary>
    internal List<int> Recorded { get; } = [];

    /// <summary>Completes when <see cref="HoldAsync"/> has read its first bytes.</summary>
    internal Task Holding => _holding.Task;

    /// <summary>How <see cref="HoldAsync"/>'s reading ended: the exception it saw.</summary>
    internal Task<Exception?> Held => _held.Task;

    public async Task<long> CountAsync(Stream data, CancellationToken cancellation)
    {
        await using (data)
        {
            return await PatternStream.VerifyAsync(data, cancellation);
        }
    }

    public async Task<long> CountPipeAsync(PipeReader data, CancellationToken cancellation)
    {
        long position = 0;
        try
        {
            while (true)
            {
                ReadResult read = await data.ReadAsync(cancellation);
                foreach (ReadOnlyMemory<byte> segment in read.Buffer)
                {
                    PatternStream.Check(segment.Span, position);
                    position += segment.Length;
                }

                data.AdvanceTo(read.Buffer.End);
                if (read.IsCompleted)
                {
                    return position;
                }
            }
        }
        finally
        {
            await data.CompleteAsync();
        }
    }

    public Task<Stream> ProduceAsync(long length) => Task.FromResult<Stream>(Produced(new PatternStream(length)));

    public Task<PipeReader> ProducePipeAsync(long length) => Task.FromResult(PipeReader.Create(Produced(new PatternStream(length))));

    public Task<Stream> ProduceFailingAsync(long failAfter) => Task.FromResult<Stream>(Produced(new PatternStream(PatternStream.Endless, failAfter)));

    public Task<Stream> ProduceStalledAsync()
    {
        LastStalled = new StalledStream();
        return Task.FromResult<Stream>(LastStalled);
    }

    public Task<Stream> ProduceEndlessAsync() => Task.FromResult<Stream>(Produced(new PatternStream(PatternStream.Endless)));

    public async Task HoldAsync(Stream data, CancellationToken cancellation)
    {
        byte[] buffer = new byte[64 * 1024];
        try
        {
            await using (data)
            {
                while (await data.ReadAsync(buffer, cancellation) > 0)
                {
                    _holding.TrySetResult();
                }
            }

            _held.TrySetResult(null);
        }
        catch (Exception exception)
        {
            _held.TrySetResult(exception);
            throw;
        }
    }

    public Task HoldWithoutTokenAsync(Stream data) => HoldAsync(data, CancellationToken.None);

    public Task<int> PingAsync(int value) => Task.FromResult(value + 1);

    public Task<byte[]> EchoAsync(byte[] data) => Task.FromResult(data);

    public Task<int> LengthAsync(byte[] data) => Task.FromResult(data.Length);

    public Task<byte[]> PatternBytesAsync(int length)
    {
        byte[] data = new byte[length];
        for (int i = 0; i < data.Length; i++)
        {
            data[i] = PatternStream.At(i);
        }

        return Task.FromResult(data);
    }

    public Task RecordAsync(byte[] data)
    {
        Recorded.Add(data.Length);
        return Task.CompletedTask;
    }

    private PatternStream Produced(PatternStream stream)
    {
        LastProduced = stream;
        return stream;
    }
}
