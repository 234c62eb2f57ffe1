using System.Buffers.Binary;
using System.IO.Hashing;
using System.Runtime.InteropServices;

namespace Lottery.Journal;

/// <summary>
/// The node's local journal (本地顺序写文件): draw results appended to one file and fsynced before they are
/// acknowledged. Group commit: a writer thread takes every record appended while the previous fsync ran and writes
/// them as one block with one fsync, so a batch — and every batch waiting with it — shares one fsync.
/// </summary>
/// <remarks>
/// A block is a 16-byte header (magic "LJB1", payload length, record count, CRC-32 of the payload) then 32-byte
/// records. Replay reads blocks until the first that is torn or fails its checksum, and cuts the file there: only a
/// block whose fsync returned was ever acknowledged, and such a block is whole.
/// </remarks>
public sealed class DrawJournal : IAsyncDisposable
{
    public const int HeaderSize = 16;
    private const uint Magic = 0x3142_4A4C; // "LJB1" little-endian

    private readonly FileStream _file;
    private readonly Thread _writer;
    private readonly Lock _lock = new();
    private readonly SemaphoreSlim _signal = new(0);
    private readonly TaskCompletionSource _stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Group _current = new();
    private long _committedLength;
    private long _commits;
    private long _records;
    private bool _stopping;

    private DrawJournal(string path, FileStream file)
    {
        Path = path;
        _file = file;
        _committedLength = file.Length;
        _writer = new Thread(WriteLoop) { IsBackground = true, Name = $"journal {System.IO.Path.GetFileName(path)}" };
        _writer.Start();
    }

    public string Path { get; }

    /// <summary>Bytes on disk and fsynced: the shipper reads up to here.</summary>
    public long CommittedLength => Volatile.Read(ref _committedLength);

    /// <summary>How many fsyncs; records / commits is the group-commit factor.</summary>
    public long Commits => Volatile.Read(ref _commits);

    public long Records => Volatile.Read(ref _records);

    /// <summary>
    /// Opens (or creates) the journal at <paramref name="path"/>, first replaying every whole block through
    /// <paramref name="replay"/> and cutting a torn tail.
    /// </summary>
    public static DrawJournal Open(string path, Action<ReadOnlySpan<JournalRecord>>? replay = null)
    {
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path))!);
        long valid = File.Exists(path) ? Scan(path, 0, long.MaxValue, (_, records) => replay?.Invoke(records)) : 0;
        FileStream file = new(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read, bufferSize: 0);
        if (file.Length != valid)
        {
            file.SetLength(valid);
            file.Flush(flushToDisk: true);
        }

        file.Seek(0, SeekOrigin.End);
        return new DrawJournal(path, file);
    }

    /// <summary>
    /// Reads the whole blocks of the journal at <paramref name="path"/> from <paramref name="from"/> (a block start) up
    /// to <paramref name="to"/>; calls <paramref name="block"/> with each block's end offset and records. Returns the end
    /// of the last whole block read.
    /// </summary>
    public static long Scan(string path, long from, long to, Action<long, ReadOnlySpan<JournalRecord>> block)
    {
        using FileStream file = new(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, bufferSize: 1 << 16);
        file.Seek(from, SeekOrigin.Begin);
        long offset = from;
        byte[] header = new byte[HeaderSize];
        byte[] payload = [];
        while (offset + HeaderSize <= to)
        {
            if (file.ReadAtLeast(header, HeaderSize, throwOnEndOfStream: false) < HeaderSize
                || BinaryPrimitives.ReadUInt32LittleEndian(header) != Magic)
            {
                break;
            }

            int length = BinaryPrimitives.ReadInt32LittleEndian(header.AsSpan(4));
            int count = BinaryPrimitives.ReadInt32LittleEndian(header.AsSpan(8));
            uint crc = BinaryPrimitives.ReadUInt32LittleEndian(header.AsSpan(12));
            if (length < 0 || length != count * JournalRecord.Size || offset + HeaderSize + length > to)
            {
                break;
            }

            if (payload.Length < length)
            {
                payload = new byte[Math.Max(length, payload.Length * 2)];
            }

            if (file.ReadAtLeast(payload.AsSpan(0, length), length, throwOnEndOfStream: false) < length
                || Crc32.HashToUInt32(payload.AsSpan(0, length)) != crc)
            {
                break;
            }

            offset += HeaderSize + length;
            block(offset, MemoryMarshal.Cast<byte, JournalRecord>(payload.AsSpan(0, length)));
        }

        return offset;
    }

    /// <summary>Appends <paramref name="records"/>; the task completes once they are on disk (fsynced).</summary>
    public Task AppendAsync(ReadOnlySpan<JournalRecord> records)
    {
        if (records.IsEmpty)
        {
            return Task.CompletedTask;
        }

        ReadOnlySpan<byte> bytes = MemoryMarshal.AsBytes(records);
        Task committed;
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_stopping, this);
            _current.Append(bytes, records.Length);
            committed = _current.Committed.Task;
        }

        _signal.Release();
        return committed;
    }

    public async ValueTask DisposeAsync()
    {
        lock (_lock)
        {
            if (_stopping)
            {
                return;
            }

            _stopping = true;
        }

        _signal.Release();
        await _stopped.Task.ConfigureAwait(false);
        await _file.DisposeAsync().ConfigureAwait(false);
        _signal.Dispose();
    }

    private void WriteLoop()
    {
        Group spare = new();
        try
        {
            while (true)
            {
                _signal.Wait();
                Group group;
                bool stopping;
                lock (_lock)
                {
                    group = _current;
                    stopping = _stopping;
                    if (group.Count == 0)
                    {
                        if (stopping)
                        {
                            break;
                        }

                        continue;
                    }

                    _current = spare;
                }

                try
                {
                    WriteBlock(group);
                    Volatile.Write(ref _committedLength, _committedLength + HeaderSize + group.Length);
                    Interlocked.Increment(ref _commits);
                    Interlocked.Add(ref _records, group.Count);
                    group.Committed.TrySetResult();
                }
                catch (Exception exception)
                {
                    group.Committed.TrySetException(new IOException($"Journal {Path}: the group commit failed: {exception.Message}", exception));
                }

                spare = group.Reset();
            }
        }
        finally
        {
            _stopped.TrySetResult();
        }
    }

    private void WriteBlock(Group group)
    {
        Span<byte> header = stackalloc byte[HeaderSize];
        ReadOnlySpan<byte> payload = group.Payload;
        BinaryPrimitives.WriteUInt32LittleEndian(header, Magic);
        BinaryPrimitives.WriteInt32LittleEndian(header[4..], payload.Length);
        BinaryPrimitives.WriteInt32LittleEndian(header[8..], group.Count);
        BinaryPrimitives.WriteUInt32LittleEndian(header[12..], Crc32.HashToUInt32(payload));
        _file.Write(header);
        _file.Write(payload);
        _file.Flush(flushToDisk: true);
    }

    /// <summary>Records appended while the writer was busy: written as one block, acknowledged by one fsync.</summary>
    private sealed class Group
    {
        private byte[] _buffer = new byte[64 * 1024];

        // Continuations run elsewhere: the writer thread must go straight back to the next fsync.
        public TaskCompletionSource Committed { get; private set; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public int Length { get; private set; }

        public int Count { get; private set; }

        public ReadOnlySpan<byte> Payload => _buffer.AsSpan(0, Length);

        public void Append(ReadOnlySpan<byte> bytes, int count)
        {
            if (Length + bytes.Length > _buffer.Length)
            {
                Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, Length + bytes.Length));
            }

            bytes.CopyTo(_buffer.AsSpan(Length));
            Length += bytes.Length;
            Count += count;
        }

        public Group Reset()
        {
            Length = 0;
            Count = 0;
            Committed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            return this;
        }
    }
}
