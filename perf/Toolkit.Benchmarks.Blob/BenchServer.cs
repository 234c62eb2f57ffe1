using System.Diagnostics;
using System.Globalization;

namespace Toolkit.Benchmarks.Blob;

/// <summary>The server process (mode "server") as the measuring process sees it: its addresses, its CPU, its memory marks.</summary>
internal sealed class BenchServer : IAsyncDisposable
{
    private readonly Process _process;

    private BenchServer(Process process, string[] ready)
    {
        _process = process;
        BlobServer = ready[1];
        Raw = ready[2];
        Echo = ready[3];
        Ping = ready[4];
        Mux = ready[5];
    }

    /// <summary>The blob server's control endpoint, <c>rpc://…/blobserver</c>.</summary>
    public string BlobServer { get; }

    /// <summary>The raw copy's listener, host:port.</summary>
    public string Raw { get; }

    /// <summary>The echo-64 endpoint on the blob server's RPC service, <c>rpc://…/echo</c>.</summary>
    public string Echo { get; }

    /// <summary>The plain ping-pong's listener, host:port.</summary>
    public string Ping { get; }

    /// <summary>The multiplexed channel copy's listener, host:port.</summary>
    public string Mux { get; }

    public static async Task<BenchServer> StartAsync(string directory, int muxWindow, bool sampleMemory = true)
    {
        Process process = Process.Start(new ProcessStartInfo(Environment.ProcessPath!, ["server", directory, muxWindow.ToString(CultureInfo.InvariantCulture), sampleMemory ? "sampler" : "no-sampler"])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
        })!;
        string? line = await process.StandardOutput.ReadLineAsync();
        if (line is null || !line.StartsWith("READY ", StringComparison.Ordinal))
        {
            process.Kill();
            throw new InvalidOperationException($"the server process did not start: {line ?? "(no output)"}");
        }

        return new BenchServer(process, line.Split(' '));
    }

    /// <summary>CPU seconds (user + system) the server process used so far.</summary>
    public TimeSpan Cpu
    {
        get
        {
            _process.Refresh();
            return _process.TotalProcessorTime;
        }
    }

    /// <summary>Takes the server's idle memory level after a full GC; the peak is measured from here.</summary>
    public async Task MarkAsync()
    {
        await _process.StandardInput.WriteLineAsync("mark");
        await _process.StandardOutput.ReadLineAsync();
    }

    /// <summary>The idle level and the peak resident memory since the mark, in bytes.</summary>
    public async Task<(long Idle, long Peak)> StatsAsync()
    {
        await _process.StandardInput.WriteLineAsync("stats");
        string[] stats = (await _process.StandardOutput.ReadLineAsync())!.Split(' ');
        return (long.Parse(stats[1], CultureInfo.InvariantCulture), long.Parse(stats[2], CultureInfo.InvariantCulture));
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            await _process.StandardInput.WriteLineAsync("quit");
            using CancellationTokenSource timeout = new(TimeSpan.FromSeconds(10));
            try
            {
                await _process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                _process.Kill();
            }
        }

        _process.Dispose();
    }
}
