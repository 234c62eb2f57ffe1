namespace Toolkit.Rpc.Tests.Streams;

/// <summary>A gateway whose methods return item streams: counts, payloads, failures and endless producers.</summary>
[RpcGateway]
public interface IStreamGateway
{
    /// <summary>0, 1, … count − 1; the token is the method's own parameter.</summary>
    IAsyncEnumerable<int> CountAsync(int count, CancellationToken cancellation);

    /// <summary><paramref name="count"/> payloads of <paramref name="size"/> bytes each, numbered.</summary>
    IAsyncEnumerable<StreamPayload> PayloadsAsync(int count, int size);

    /// <summary>Yields <paramref name="count"/> items, then throws <see cref="InvalidOperationException"/> with <paramref name="message"/>.</summary>
    IAsyncEnumerable<int> FailAfterAsync(int count, string message);

    /// <summary>Yields <paramref name="count"/> items, then throws the declared <see cref="StreamExhaustedException"/>.</summary>
    [RpcFault(typeof(StreamExhaustedException))]
    IAsyncEnumerable<int> ExhaustAfterAsync(int count);

    /// <summary>Yields until cancelled; the token comes from the enumerator ([EnumeratorCancellation]) only.</summary>
    IAsyncEnumerable<int> EndlessAsync();

    /// <summary>Yields <paramref name="count"/> items, then waits forever (until cancelled).</summary>
    IAsyncEnumerable<int> StallAfterAsync(int count);

    /// <summary>Consumes <paramref name="other"/>'s <see cref="CountAsync"/> on this endpoint's main thread and sums it.</summary>
    Task<long> SumFromAsync(IStreamGateway other, int count);

    /// <summary>What the producers saw.</summary>
    Task<StreamStats> StatsAsync();
}

/// <summary>One item of <see cref="IStreamGateway.PayloadsAsync"/>.</summary>
public sealed record StreamPayload(int Number, byte[] Data);

/// <summary>What the stream endpoint's producers saw.</summary>
public sealed record StreamStats(long Produced, int Cancelled, int Finished, bool MainThreadOnly);

/// <summary>A fault a streaming method declares.</summary>
public sealed class StreamExhaustedException(int after) : Exception($"exhausted after {after} items")
{
    public int After { get; } = after;
}
