namespace Toolkit.Rpc.Infrastructure;

/// <summary>
/// Drives a producer's async iterator into an <see cref="ItemSink{TItem}"/> on the endpoint's main thread: its
/// awaits capture the endpoint's synchronization context, so the iterator and this loop run between the endpoint's
/// other calls, never beside them. One item per credit; the batch goes out before any wait, so an item is never held
/// back while the producer is idle.
/// </summary>
internal static class ItemStreamPump
{
    public static async Task RunAsync<TItem>(IAsyncEnumerable<TItem> source, ItemSink<TItem> sink, CancellationToken cancellation)
    {
        try
        {
            IAsyncEnumerator<TItem> items = source.GetAsyncEnumerator(cancellation);
            try
            {
                while (true)
                {
                    if (!sink.HasCredit)
                    {
                        sink.Flush();
                        await sink.WaitForCreditAsync(cancellation);
                    }

                    cancellation.ThrowIfCancellationRequested();
                    ValueTask<bool> next = items.MoveNextAsync();
                    if (!next.IsCompleted)
                    {
                        sink.Flush();
                    }

                    if (!await next)
                    {
                        break;
                    }

                    sink.Add(items.Current);
                }
            }
            finally
            {
                // The iterator's finally blocks run here, on the main thread, whether it ended, threw or was cancelled.
                await items.DisposeAsync();
            }

            sink.Flush();
            sink.Complete();
        }
        catch (Exception exception)
        {
            sink.Fail(exception);
        }
    }
}
