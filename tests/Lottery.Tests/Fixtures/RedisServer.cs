using System.Net.Sockets;
using System.Text;

namespace Lottery.Tests.Fixtures;

/// <summary>
/// A private redis-server for the tests: a free port, a temporary directory, no persistence; stopped at the end. When
/// the binary is missing, <see cref="Unavailable"/> says so and the tests skip.
/// </summary>
public sealed class RedisServer : IAsyncLifetime
{
    private ChildProcess? _process;
    private string? _directory;

    /// <summary>Why the tests cannot use Redis here, or null.</summary>
    public string? Unavailable { get; private set; }

    public string Endpoint { get; private set; } = "";

    public async Task InitializeAsync()
    {
        string? server = Binaries.Find("redis-server", "/usr/bin", "/usr/local/bin");
        if (server is null)
        {
            Unavailable = "redis-server is not installed: install the Debian package redis-server (apt-get install -y redis-server)";
            return;
        }

        int port = FreePort.Next();
        _directory = Directory.CreateTempSubdirectory("lottery-redis-").FullName;
        _process = ChildProcess.Start("redis-server", server,
            ["--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--daemonize", "no", "--dir", _directory]);
        Endpoint = $"127.0.0.1:{port}";
        DateTime deadline = DateTime.UtcNow.AddSeconds(15);
        while (!await PingAsync(port))
        {
            if (DateTime.UtcNow > deadline || _process.HasExited)
            {
                throw new InvalidOperationException($"redis-server did not answer PING on {Endpoint}:\n{_process.Output}");
            }

            await Task.Delay(50);
        }
    }

    public async Task DisposeAsync()
    {
        if (_process is not null)
        {
            await _process.DisposeAsync();
        }

        if (_directory is not null)
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    private static async Task<bool> PingAsync(int port)
    {
        try
        {
            using TcpClient client = new();
            await client.ConnectAsync("127.0.0.1", port);
            NetworkStream stream = client.GetStream();
            await stream.WriteAsync("PING\r\n"u8.ToArray());
            byte[] buffer = new byte[16];
            int read = await stream.ReadAsync(buffer);
            return Encoding.ASCII.GetString(buffer, 0, read).StartsWith("+PONG", StringComparison.Ordinal);
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
