namespace Toolkit.Rpc.Streams.Tests;

/// <summary>
/// A read-only stream of a known pattern (byte i is <see cref="At"/>(i)), optionally endless or failing after some
/// bytes; it records its disposal, so that tests see when the sender let go of it.
/// </summary>
internal sealed class PatternStream(long length, long failAfter = -1) : Stream
{
    private readonly TaskCompletionSource _disposed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _position;

    public static long Endless => long.MaxValue;

    public Task Disposed => _disposed.Task;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => _position; set => throw new NotSupportedException(); }

    public static byte At(long index) => (byte)((index * 31) + (index >> 13));

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        if (failAfter >= 0 && _position >= failAfter)
        {
            throw new InvalidDataException($"the pattern source broke at byte {_position}");
        }

        long left = length - _position;
        if (failAfter >= 0)
        {
            left = Math.Min(left, failAfter - _position);
        }

        int count = (int)Math.Min(buffer.Length, left);
        for (int i = 0; i < count; i++)
        {
            buffer[i] = At(_position + i);
        }

        _position += count;
        return count;
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(Read(buffer.Span));

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        Task.FromResult(Read(buffer.AsSpan(offset, count)));

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    /// <summary>Reads <paramref name="stream"/> to its end, checking each byte against the pattern; returns the count.</summary>
    public static async Task<long> VerifyAsync(Stream stream, CancellationToken cancellation = default)
    {
        byte[] buffer = new byte[256 * 1024];
        long position = 0;
        int read;
        while ((read = await stream.ReadAsync(buffer, cancellation)) > 0)
        {
            Check(buffer.AsSpan(0, read), position);
            position += read;
        }

        return position;
    }

    public static void Check(ReadOnlySpan<byte> bytes, long position)
    {
        for (int i = 0; i < bytes.Length; i++)
        {
            if (bytes[i] != At(position + i))
            {
                throw new InvalidDataException($"byte {position + i} is {bytes[i]}, not {At(position + i)}");
            }
        }
    }

    protected override void Dispose(bool disposing)
    {
        _disposed.TrySetResult();
        base.Dispose(disposing);
    }
}
