using System.Globalization;

namespace Lottery.Tests.Fixtures;

/// <summary>
/// A private PostgreSQL cluster for the tests: initdb into a temporary directory and pg_ctl on a free port (as the
/// postgres user when the tests run as root, which PostgreSQL refuses); stopped and deleted at the end. When the
/// binaries are missing, <see cref="Unavailable"/> says so and the tests skip.
/// </summary>
public sealed class PostgresServer : IAsyncLifetime
{
    private string? _directory;
    private string? _pgCtl;
    private string? _user;

    /// <summary>Why the tests cannot use PostgreSQL here, or null.</summary>
    public string? Unavailable { get; private set; }

    public string ConnectionString { get; private set; } = "";

    public async Task InitializeAsync()
    {
        string[] versions = Directory.Exists("/usr/lib/postgresql")
            ? [.. Directory.GetDirectories("/usr/lib/postgresql").OrderDescending().Select(version => Path.Combine(version, "bin"))]
            : [];
        string? initdb = Binaries.Find("initdb", versions);
        _pgCtl = Binaries.Find("pg_ctl", versions);
        if (initdb is null || _pgCtl is null)
        {
            Unavailable = "PostgreSQL's initdb and pg_ctl are not installed: install the Debian package postgresql (apt-get install -y postgresql)";
            return;
        }

        _directory = Directory.CreateTempSubdirectory("lottery-postgres-").FullName;
        if (Binaries.IsRoot)
        {
            _user = "postgres";
            (int chown, string output) = await Binaries.RunAsync("/bin/chown", ["postgres", _directory], TimeSpan.FromSeconds(10));
            if (chown != 0)
            {
                Unavailable = $"running as root, the tests need the postgres user (from the Debian package postgresql) to own {_directory}: {output}";
                return;
            }
        }

        string data = Path.Combine(_directory, "data");
        (int code, string log) = await Binaries.RunAsync(initdb, ["-D", data, "-A", "trust", "-U", "postgres", "--no-sync", "-E", "UTF8"], TimeSpan.FromSeconds(60), _user);
        if (code != 0)
        {
            throw new InvalidOperationException($"initdb failed ({code}):\n{log}");
        }

        int port = FreePort.Next();
        (code, log) = await Binaries.RunAsync(_pgCtl, ["-D", data, "-l", Path.Combine(_directory, "server.log"), "-w", "-t", "60",
            "-o", $"-p {port.ToString(CultureInfo.InvariantCulture)} -k {_directory} -c listen_addresses=127.0.0.1", "start"], TimeSpan.FromSeconds(90), _user);
        if (code != 0)
        {
            string server = File.Exists(Path.Combine(_directory, "server.log")) ? await File.ReadAllTextAsync(Path.Combine(_directory, "server.log")) : "";
            throw new InvalidOperationException($"pg_ctl start failed ({code}):\n{log}\n{server}");
        }

        ConnectionString = $"Host=127.0.0.1;Port={port};Username=postgres;Database=postgres";
    }

    public async Task DisposeAsync()
    {
        if (_directory is null || _pgCtl is null)
        {
            return;
        }

        string data = Path.Combine(_directory, "data");
        if (Directory.Exists(data) && ConnectionString.Length > 0)
        {
            await Binaries.RunAsync(_pgCtl, ["-D", data, "-m", "immediate", "-w", "-t", "30", "stop"], TimeSpan.FromSeconds(60), _user);
        }

        Directory.Delete(_directory, recursive: true);
    }
}
