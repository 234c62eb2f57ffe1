using System.Globalization;
using System.Runtime.InteropServices;

namespace Toolkit.Benchmarks.Echo;

/// <summary>The server process: one listening service with the endpoint "echo", until SIGTERM/SIGINT (or stdin's end).</summary>
internal static class EchoServer
{
    public static async Task<int> RunAsync(int port, bool watchStdin)
    {
        TaskCompletionSource stop = new(TaskCreationOptions.RunContinuationsAsynchronously);
        using PosixSignalRegistration sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context => Stop(context, stop));
        using PosixSignalRegistration sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, context => Stop(context, stop));

        using EchoObserver? observer = EchoObserver.FromEnvironment();
        await using RpcService service = await RpcService.StartAsync(new RpcServiceOptions { Listen = $"127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}" });
        EchoEndpoint endpoint = await service.StartEndpointAsync(new EchoEndpoint(), "echo");
        await service.StartEndpointAsync(new ItemStreamEndpoint(), "items");
        string address = service.Address!;
        Console.Out.WriteLine($"LISTENING {address[(address.LastIndexOf(':') + 1)..]}");
        Console.Out.Flush();

        if (watchStdin)
        {
            // A background shell job gets /dev/null as stdin, which is at its end at once: hence opt-in.
            Thread watcher = new(() =>
            {
                while (Console.In.Read() >= 0)
                {
                }

                stop.TrySetResult();
            })
            { IsBackground = true, Name = "stdin watcher" };
            watcher.Start();
        }

        await stop.Task;

        // Diagnostics over the server's whole life (warm-up included), on stderr: stdout carries only LISTENING.
        long calls = endpoint.Calls;
        long allocated = GC.GetTotalAllocatedBytes();
        Console.Error.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"SERVER calls={calls} alloc_bytes_per_call={(calls == 0 ? double.NaN : allocated / (double)calls):0} " +
            $"gc={GC.CollectionCount(0)}/{GC.CollectionCount(1)}/{GC.CollectionCount(2)} threads={ThreadPool.ThreadCount} pool_items={ThreadPool.CompletedWorkItemCount}"));
        if (observer is not null)
        {
            Console.Error.WriteLine($"SERVER {observer.Summary}");
        }

        return 0;
    }

    private static void Stop(PosixSignalContext context, TaskCompletionSource stop)
    {
        // Stop cleanly instead of the runtime's default termination: the service disposes its connection.
        context.Cancel = true;
        stop.TrySetResult();
    }
}
