namespace Toolkit.Benchmarks.Streams;

/// <summary>The gateway of perf/Toolkit.Benchmarks.Streams' server process, declared alike so that the tests can call it.</summary>
[Toolkit.Rpc.RpcGateway]
public interface IStreamBenchGateway
{
    Task<long> SinkAsync(Stream data);

    Task<Stream> SourceAsync(long length);
}
