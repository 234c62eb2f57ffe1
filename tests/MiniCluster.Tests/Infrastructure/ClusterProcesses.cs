using System.Net;
using System.Net.Sockets;
using System.Reflection;
using Toolkit.Testing.Processes;

namespace MiniCluster.Tests.Infrastructure;

/// <summary>
/// The cluster's roles as separate processes (<c>dotnet MiniCluster.dll master|executor|submit …</c>) from the example's
/// own build output, with their blob directories in a temporary directory of their own; every process is killed and the
/// directory removed when this is disposed.
/// </summary>
public sealed class ClusterProcesses : IAsyncDisposable
{
    private readonly List<ChildProcess> _processes = [];
    private readonly string[] _ha;
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("minicluster-test-");

    /// <param name="ha">The HA arguments every role gets (<c>--etcd URL --root R --lease-ttl 3</c>, or <c>--master rpc://…</c>).</param>
    public ClusterProcesses(params string[] ha) => _ha = ha;

    public static string Dll
    {
        get
        {
            string configuration = typeof(ClusterProcesses).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
            string path = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", "..", "examples", "MiniCluster", "bin", configuration, "net10.0", "MiniCluster.dll"));
            return File.Exists(path) ? path : throw new FileNotFoundException($"The example is not built at {path}: build tests/MiniCluster.Tests first.", path);
        }
    }

    public IReadOnlyList<ChildProcess> All => _processes;

    // Without etcd a master is at its own --listen address: the others' --master is not for it.
    private string[] MasterHa => _ha.Length > 0 && _ha[0] == "--master" ? _ha[2..] : _ha;

    /// <summary>A master listening on a free port; returns it and its address (<c>rpc://127.0.0.1:port</c>).</summary>
    public (ChildProcess Process, string Address) StartMaster(string id)
    {
        int port = FreePort();
        ChildProcess master = Start(id, ["master", "--id", id, "--listen", $"127.0.0.1:{port}", "--dashboard", "http://127.0.0.1:0", .. Blobs(id), .. MasterHa]);
        return (master, $"rpc://127.0.0.1:{port}");
    }

    /// <summary>A master at a fixed port (standalone HA needs the address before it starts).</summary>
    public ChildProcess StartMaster(string id, int port) =>
        Start(id, ["master", "--id", id, "--listen", $"127.0.0.1:{port}", "--dashboard", "http://127.0.0.1:0", .. Blobs(id), .. MasterHa]);

    public ChildProcess StartExecutor(string id, int slots = 2) =>
        Start(id, ["executor", "--id", id, "--slots", slots.ToString(System.Globalization.CultureInfo.InvariantCulture), "--cache-dir", Path.Combine(_directory.FullName, "cache-" + id), .. _ha]);

    public ChildProcess StartSubmitter(string jobId, params string[] job) => Start("submitter", ["submit", "--job-id", jobId, "--timeout", "240", .. job, .. _ha]);

    public static int FreePort()
    {
        using Socket socket = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (ChildProcess process in _processes)
        {
            await process.DisposeAsync();
        }

        _directory.Delete(recursive: true);
    }

    // Each master's own blob directory, and the one they share for the blob HA store.
    private string[] Blobs(string id) =>
        ["--blob-dir", Path.Combine(_directory.FullName, "blobs-" + id), "--blob-ha-dir", Path.Combine(_directory.FullName, "blobs-ha")];

    private ChildProcess Start(string name, string[] arguments)
    {
        ChildProcess process = ChildProcess.Start(name, Dll, arguments);
        _processes.Add(process);
        return process;
    }
}
