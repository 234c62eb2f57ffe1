using System.IO.Pipelines;

namespace Toolkit.Rpc.Streams.Tests;

[RpcGateway]
public interface IBytesGateway
{
    /// <summary>Reads <paramref name="data"/> to its end, checking the test pattern; returns how many bytes it read.</summary>
    Task<long> CountAsync(Stream data, CancellationToken cancellation);

    Task<long> CountPipeAsync(PipeReader data, CancellationToken cancellation);

    /// <summary>A stream of <paramref name="length"/> bytes of the test pattern.</summary>
    Task<Stream> ProduceAsync(long length);

    Task<PipeReader> ProducePipeAsync(long length);

    /// <summary>A stream that throws after <paramref name="failAfter"/> bytes.</summary>
    Task<Stream> ProduceFailingAsync(long failAfter);

    /// <summary>A stream that never yields a byte; the endpoint hears when it is disposed.</summary>
    Task<Stream> ProduceStalledAsync();

    /// <summary>A stream without end; the endpoint hears when it is disposed.</summary>
    Task<Stream> ProduceEndlessAsync();

    /// <summary>Reads until the stream fails or the call is cancelled; the endpoint records how it ended.</summary>
    Task HoldAsync(Stream data, CancellationToken cancellation);

    /// <summary>As <see cref="HoldAsync"/>, without a token: only the stream itself can end the reading.</summary>
    Task HoldWithoutTokenAsync(Stream data);

    Task<int> PingAsync(int value);

    Task<byte[]> EchoAsync(byte[] data);

    Task<int> LengthAsync(byte[] data);

    /// <summary><paramref name="length"/> bytes of the test pattern, as one message.</summary>
    Task<byte[]> PatternBytesAsync(int length);

    /// <summary>Records the length of <paramref name="data"/>, in the order the calls run.</summary>
    Task RecordAsync(byte[] data);
}
