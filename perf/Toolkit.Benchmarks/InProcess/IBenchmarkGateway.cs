namespace Toolkit.Benchmarks.InProcess;

/// <summary>The smallest useful gateway: one long in, one long out, so that the RPC machinery is all that is measured.</summary>
[RpcGateway]
public interface IBenchmarkGateway
{
    ValueTask<long> AskAsync(long x);

    Task<long> AskTaskAsync(long x);

    void Tell(long x);

    /// <summary>How many tells arrived so far; awaited after a burst of tells, it is the barrier that ends it.</summary>
    ValueTask<long> CountTellsAsync();
}
