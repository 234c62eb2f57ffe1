using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Toolkit.HighAvailability.Tests.Infrastructure;

/// <summary>
/// A private etcd for the tests: the installed <c>etcd</c> binary on free loopback ports, with a temporary data
/// directory, ready when its <c>/health</c> says so; killed and its directory removed when disposed. It can be
/// restarted on the same ports and data, as an operator's restart would.
/// </summary>
public sealed class EtcdServer : IAsyncDisposable
{
    /// <summary>What a skipped test says: how to enable the etcd tests.</summary>
    public const string MissingMessage =
        "etcd is not installed: the etcd HA tests need the etcd binary on PATH; install Debian's package etcd-server (apt-get install -y etcd-server), as .ci/run does.";

    private static readonly TimeSpan ReadyLimit = TimeSpan.FromSeconds(30);
    private readonly string _directory;
    private readonly int _clientPort;
    private readonly int _peerPort;
    private Process? _process;

    private EtcdServer(string binary)
    {
        Binary = binary;
        _directory = Directory.CreateTempSubdirectory("toolkit-etcd-").FullName;
        _clientPort = FreePort();
        _peerPort = FreePort();
    }

    /// <summary>The etcd binary on PATH, or null.</summary>
    public static string? FindBinary() =>
        (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(directory => Path.Combine(directory, "etcd"))
            .FirstOrDefault(File.Exists);

    public string Binary { get; }

    /// <summary>The client URL, <c>http://127.0.0.1:port</c>.</summary>
    public string Url => $"http://127.0.0.1:{_clientPort}";

    public int ProcessId => _process?.Id ?? 0;

    public static async Task<EtcdServer> StartAsync()
    {
        EtcdServer server = new(FindBinary() ?? throw new InvalidOperationException(MissingMessage));
        await server.LaunchAsync();
        return server;
    }

    /// <summary>Kills etcd (SIGKILL), waits <paramref name="downtime"/>, and starts it again on the same ports and data.</summary>
    public async Task RestartAsync(TimeSpan downtime)
    {
        await KillAsync();
        await Task.Delay(downtime);
        await LaunchAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // Left for the temp cleaner.
        }
    }

    private async Task LaunchAsync()
    {
        string client = $"http://127.0.0.1:{_clientPort}";
        string peer = $"http://127.0.0.1:{_peerPort}";
        ProcessStartInfo start = new(Binary)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in new[]
        {
            "--name", "test", "--data-dir", Path.Combine(_directory, "data"), "--logger=zap", "--log-outputs=stderr",
            "--listen-client-urls", client, "--advertise-client-urls", client,
            "--listen-peer-urls", peer, "--initial-advertise-peer-urls", peer, "--initial-cluster", $"test={peer}",
        })
        {
            start.ArgumentList.Add(argument);
        }

        Process process = Process.Start(start) ?? throw new InvalidOperationException("etcd did not start");
        // Drained so that etcd never blocks on a full pipe.
        process.OutputDataReceived += static (_, _) => { };
        process.ErrorDataReceived += static (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;

        using HttpClient http = new() { Timeout = TimeSpan.FromSeconds(2) };
        Stopwatch waited = Stopwatch.StartNew();
        while (true)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"etcd exited with {process.ExitCode} before it was ready");
            }

            try
            {
                string health = await http.GetStringAsync($"{client}/health");
                if (health.Contains("\"health\":\"true\"", StringComparison.Ordinal))
                {
                    return;
                }
            }
            catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
            {
                // Not listening yet.
            }

            if (waited.Elapsed > ReadyLimit)
            {
                throw new TimeoutException($"etcd was not healthy within {ReadyLimit.TotalSeconds} s");
            }

            await Task.Delay(50);
        }
    }

    private async Task KillAsync()
    {
        if (_process is { } process)
        {
            _process = null;
            if (!process.HasExited)
            {
                process.Kill();
                using CancellationTokenSource limit = new(TimeSpan.FromSeconds(10));
                await process.WaitForExitAsync(limit.Token);
            }

            process.Dispose();
        }
    }

    private static int FreePort()
    {
        using Socket socket = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }
}
