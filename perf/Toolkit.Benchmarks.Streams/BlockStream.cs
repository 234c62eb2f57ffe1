namespace Toolkit.Benchmarks.Streams;

/// <summary>A read-only stream of <c>length</c> bytes copied from one random 1 MiB block: a source that costs a memory copy, as a file in the page cache would.</summary>
internal sealed class BlockStream(long length) : Stream
{
    private static readonly byte[] Block = CreateBlock();
    private long _position;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => length;

    public override long Position { get => _position; set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        int offset = (int)(_position % Block.Length);
        int count = (int)Math.Min(Math.Min(buffer.Length, Block.Length - offset), length - _position);
        Block.AsSpan(offset, count).CopyTo(buffer);
        _position += count;
        return count;
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => ValueTask.FromResult(Read(buffer.Span));

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => Task.FromResult(Read(buffer.AsSpan(offset, count)));

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    private static byte[] CreateBlock()
    {
        byte[] block = new byte[1024 * 1024];
        new Random(42).NextBytes(block);
        return block;
    }
}
