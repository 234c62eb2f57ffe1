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

        await using RpcService service = await RpcService.StartAsync(new RpcServiceOptions { Listen = $"127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}" });
        await service.StartEndpointAsync(new EchoEndpoint(), "echo");
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
        return 0;
    }

    private static void Stop(PosixSignalContext context, TaskCompletionSource stop)
    {
        // Stop cleanly instead of the runtime's default termination: the service disposes its connection.
        context.Cancel = true;
        stop.TrySetResult();
    }
}
