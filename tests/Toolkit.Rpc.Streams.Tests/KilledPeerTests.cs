using Toolkit.Benchmarks.Streams;
using Toolkit.Testing.Processes;

namespace Toolkit.Rpc.Streams.Tests;

/// <summary>Byte streams to and from a server process killed with SIGKILL mid-stream.</summary>
public sealed class KilledPeerTests
{
    [Fact]
    public async Task A_download_from_a_killed_process_fails_its_reader_with_the_bytes_it_got()
    {
        await using ChildProcess server = StartServer();
        await using RpcService caller = await RpcService.StartAsync(new RpcServiceOptions { ByteStreams = new MultiplexedByteStreams() });
        IStreamBenchGateway bench = await caller.ConnectAsync<IStreamBenchGateway>(await AddressAsync(server));
        await using Stream download = await Within.Bound(bench.SourceAsync(long.MaxValue));
        byte[] buffer = new byte[8 * 1024 * 1024];
        await download.ReadExactlyAsync(buffer).AsTask().WaitAsync(Within.Limit);

        server.Signal(Signals.Kill);

        IOException error = await Assert.ThrowsAsync<IOException>(() => Within.Bound(DrainAsync(download)));
        Assert.Contains("was cut off after", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_upload_to_a_killed_process_fails_its_call_and_lets_go_of_its_source()
    {
        await using ChildProcess server = StartServer();
        await using RpcService caller = await RpcService.StartAsync(new RpcServiceOptions { ByteStreams = new MultiplexedByteStreams() });
        IStreamBenchGateway bench = await caller.ConnectAsync<IStreamBenchGateway>(await AddressAsync(server));
        PatternStream source = new(PatternStream.Endless);
        Task<long> upload = bench.SinkAsync(source);
        await Within.Bound(WaitUntilReadAsync(source, 8 * 1024 * 1024));

        server.Signal(Signals.Kill);

        await Assert.ThrowsAsync<RpcConnectionException>(() => Within.Bound(upload));
        await Within.Bound(source.Disposed);
    }

    private static ChildProcess StartServer() =>
        ChildProcess.Start("stream-server", HelperPaths.Dll(typeof(KilledPeerTests).Assembly, "Toolkit.Benchmarks.Streams"), "server", "1024");

    private static async Task<string> AddressAsync(ChildProcess server)
    {
        (_, string ready) = await server.WaitForLineAsync("READY", TimeSpan.FromSeconds(60));
        return ready.Split(' ')[1];
    }

    private static async Task WaitUntilReadAsync(PatternStream source, long bytes)
    {
        while (source.Position < bytes)
        {
            await Task.Delay(10);
        }
    }

    private static async Task DrainAsync(Stream stream)
    {
        byte[] buffer = new byte[1024 * 1024];
        while (await stream.ReadAsync(buffer) > 0)
        {
        }
    }
}
