using Toolkit.Rpc;

namespace Toolkit.Benchmarks.Streams;

[RpcGateway]
public interface IStreamBenchGateway
{
    /// <summary>Reads <paramref name="data"/> to its end and returns how many bytes it read.</summary>
    Task<long> SinkAsync(Stream data);

    /// <summary>A stream of <paramref name="length"/> bytes.</summary>
    Task<Stream> SourceAsync(long length);
}
