using System.Runtime.CompilerServices;

namespace Toolkit.Rpc.Tests.Streams;

/// <summary>
/// The producers of <see cref="IStreamGateway"/>. Counters are written on the main thread and read by tests from
/// others (volatile), so that a test can compare what was produced with what it consumed while the stream runs.
/// </summary>
public sealed class StreamEndpoint : RpcEndpoint, IStreamGateway
{
    private long _produced;
    private int _cancelled;
    private int _finished;
    private bool _offMainThread;

    /// <summary>Items the producers yielded, all streams together.</summary>
    public long Produced => Volatile.Read(ref _produced);

    /// <summary>Producers that saw their cancellation.</summary>
    public int Cancelled => Volatile.Read(ref _cancelled);

    /// <summary>Producers whose finally block ran (ended, failed or cancelled).</summary>
    public int Finished => Volatile.Read(ref _finished);

    public async IAsyncEnumerable<int> CountAsync(int count, [EnumeratorCancellation] CancellationToken cancellation)
    {
        try
        {
            for (int i = 0; i < count; i++)
            {
                Check();
                if (cancellation.IsCancellationRequested)
                {
                    Interlocked.Increment(ref _cancelled);
                    cancellation.ThrowIfCancellationRequested();
                }

                Interlocked.Increment(ref _produced);
                yield return i;
                if (i % 4096 == 4095)
                {
                    // An await now and then, so that cancellation and other calls get the main thread.
                    await Task.Yield();
                }
            }
        }
        finally
        {
            Interlocked.Increment(ref _finished);
        }
    }

    public async IAsyncEnumerable<StreamPayload> PayloadsAsync(int count, int size)
    {
        await Task.Yield();
        for (int i = 0; i < count; i++)
        {
            Check();
            byte[] data = new byte[size];
            data.AsSpan().Fill((byte)i);
            Interlocked.Increment(ref _produced);
            yield return new StreamPayload(i, data);
        }
    }

    public async IAsyncEnumerable<int> FailAfterAsync(int count, string message)
    {
        for (int i = 0; i < count; i++)
        {
            yield return i;
        }

        await Task.Yield();
        throw new InvalidOperationException(message);
    }

    public async IAsyncEnumerable<int> ExhaustAfterAsync(int count)
    {
        await Task.Yield();
        for (int i = 0; i < count; i++)
        {
            yield return i;
        }

        throw new StreamExhaustedException(count);
    }

    public IAsyncEnumerable<int> EndlessAsync() => Endless(default);

    public async IAsyncEnumerable<int> StallAfterAsync(int count)
    {
        for (int i = 0; i < count; i++)
        {
            yield return i;
        }

        await Task.Delay(Timeout.Infinite);
    }

    public async Task<long> SumFromAsync(IStreamGateway other, int count)
    {
        long sum = 0;
        await foreach (int item in other.CountAsync(count, default))
        {
            Check();
            sum += item;
        }

        return sum;
    }

    public Task<StreamStats> StatsAsync() => Task.FromResult(new StreamStats(Produced, Cancelled, Finished, !_offMainThread));

    private async IAsyncEnumerable<int> Endless([EnumeratorCancellation] CancellationToken cancellation)
    {
        int i = 0;
        try
        {
            while (true)
            {
                Check();
                try
                {
                    await Task.Delay(1, cancellation);
                }
                catch (OperationCanceledException)
                {
                    Interlocked.Increment(ref _cancelled);
                    throw;
                }

                Interlocked.Increment(ref _produced);
                yield return i++;
            }
        }
        finally
        {
            Interlocked.Increment(ref _finished);
        }
    }

    private void Check() => _offMainThread |= !IsInMainThread;
}
