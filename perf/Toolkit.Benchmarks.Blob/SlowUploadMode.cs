using Toolkit.Blob;
using Toolkit.Rpc;

namespace Toolkit.Benchmarks.Blob;

/// <summary>
/// A client that uploads slowly (1 MiB every 50 ms, 64 MiB in all) and says so: tests/Toolkit.Blob.Tests kills it with
/// SIGKILL mid-upload and checks the server shows nothing of it.
/// </summary>
internal static class SlowUploadMode
{
    public static async Task<int> RunAsync(string[] args)
    {
        await using RpcService rpc = await RpcService.StartAsync();
        BlobClient client = BlobClient.Create(rpc, args[0], new BlobClientOptions { MaxAttempts = 1 });
        BlobKey key = await client.PutAsync(new SlowStream(), BlobKind.Permanent, new JobId(args[1]));
        Console.WriteLine($"UPLOADED {key}");
        return 0;
    }

    private sealed class SlowStream : Stream
    {
        private const int Total = 64;
        private int _sent;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (_sent == Total)
            {
                return 0;
            }

            if (_sent == 1)
            {
                Console.WriteLine("UPLOADING");
            }

            await Task.Delay(50, cancellationToken);
            int count = Math.Min(buffer.Length, 1024 * 1024);
            buffer.Span[..count].Fill((byte)_sent);
            _sent += count == 1024 * 1024 ? 1 : 0;
            return count;
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
