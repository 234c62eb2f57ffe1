using System.Diagnostics;
using System.Globalization;

namespace Toolkit.Benchmarks.Echo;

/// <summary>
/// The item-stream workload: <c>items --port N [--count C] [--runs R] [--window W]</c> streams C messages (an id and a 64-byte
/// payload) from the server's endpoint "items" to this client-mode process over one connection, R times after one
/// warm-up run, and prints each run's items per second, then <c>RESULT items_per_s_median=…</c>.
/// </summary>
internal static class ItemStreamClient
{
    public static async Task<int> RunAsync(int port, int count, int runs, int window)
    {
        await using RpcService service = await RpcService.StartAsync(new RpcServiceOptions { ItemStreamWindow = window });
        IItemStreamGateway gateway = await service.ConnectAsync<IItemStreamGateway>($"rpc://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}/items");
        await ConsumeAsync(gateway, count);
        List<double> rates = [];
        for (int run = 0; run < runs; run++)
        {
            long start = Stopwatch.GetTimestamp();
            await ConsumeAsync(gateway, count);
            double seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
            rates.Add(count / seconds);
            Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"run {run + 1}: {count:N0} items in {seconds:F3} s = {count / seconds:N0} items/s"));
        }

        rates.Sort();
        Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"RESULT items_per_s_median={rates[rates.Count / 2]:F0} runs={runs} count={count} window={window}"));
        return 0;
    }

    private static async Task ConsumeAsync(IItemStreamGateway gateway, int count)
    {
        long expected = 0;
        await foreach (EchoMessage message in gateway.ItemsAsync(count))
        {
            if (message.Id != expected++ || message.Payload.Length != 64)
            {
                throw new InvalidOperationException($"item {expected - 1} arrived as {message.Id} with {message.Payload.Length} bytes");
            }
        }

        if (expected != count)
        {
            throw new InvalidOperationException($"{expected} items arrived of {count}");
        }
    }
}
