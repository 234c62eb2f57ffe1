using Toolkit.Rpc;

namespace Toolkit.Benchmarks.Streams;

public sealed class BenchEndpoint : RpcEndpoint, IStreamBenchGateway
{
    public async Task<long> SinkAsync(Stream data)
    {
        await using (data)
        {
            return await ByteCounts.DrainAsync(data);
        }
    }

    public Task<Stream> SourceAsync(long length) => Task.FromResult<Stream>(new BlockStream(length));
}
