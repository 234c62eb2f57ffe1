using Microsoft.Extensions.Time.Testing;
using Toolkit.Rpc;

namespace Toolkit.Blob.Tests;

/// <summary>A blob server on a service of its own, a client service beside it, and temporary directories that go with them.</summary>
internal sealed class BlobTestHost : IAsyncDisposable
{
    private readonly List<string> _directories = [];

    private BlobTestHost(RpcService serverRpc, RpcService clientRpc, BlobServer server, BlobServerOptions options, string root)
    {
        ServerRpc = serverRpc;
        ClientRpc = clientRpc;
        Server = server;
        Options = options;
        Root = root;
        _directories.Add(root);
    }

    public RpcService ServerRpc { get; }

    public RpcService ClientRpc { get; }

    public BlobServer Server { get; private set; }

    public BlobServerOptions Options { get; }

    public string Root { get; }

    public string Directory => Options.Directory;

    public static async Task<BlobTestHost> StartAsync(Action<BlobServerOptions>? configure = null, TimeProvider? time = null, string? secret = null)
    {
        string root = NewDirectory();
        BlobServerOptions options = new() { Directory = Path.Combine(root, "server"), MinFreeBytes = 0 };
        configure?.Invoke(options);
        RpcTransportOptions transport = new() { SharedSecret = secret };
        RpcService serverRpc = await RpcService.StartAsync(new RpcServiceOptions { Listen = "127.0.0.1:0", TimeProvider = time ?? TimeProvider.System, Transport = transport });
        RpcService clientRpc = await RpcService.StartAsync(new RpcServiceOptions { TimeProvider = time ?? TimeProvider.System, Transport = transport });
        BlobServer server = await BlobServer.StartAsync(serverRpc, options);
        return new BlobTestHost(serverRpc, clientRpc, server, options, root);
    }

    public static string NewDirectory()
    {
        string path = Path.Combine(Path.GetTempPath(), "toolkit-blob-tests", Guid.NewGuid().ToString("n"));
        System.IO.Directory.CreateDirectory(path);
        return path;
    }

    public BlobClient Client(Action<BlobClientOptions>? configure = null)
    {
        BlobClientOptions options = new() { InitialBackoff = TimeSpan.FromMilliseconds(20), MaxBackoff = TimeSpan.FromMilliseconds(200) };
        configure?.Invoke(options);
        return BlobClient.Create(ClientRpc, Server.Address!, options);
    }

    public string Temp(string name)
    {
        string directory = Path.Combine(Root, "work");
        System.IO.Directory.CreateDirectory(directory);
        return Path.Combine(directory, name);
    }

    /// <summary>Stops the blob server and starts another on the same directory (and, by default, the same transfer port).</summary>
    public async Task RestartAsync(bool samePort = true, Action<BlobServerOptions>? change = null)
    {
        string address = Server.TransferAddress;
        await Server.DisposeAsync();
        if (samePort)
        {
            Options.Listen = address;
        }

        change?.Invoke(Options);
        Server = await BlobServer.StartAsync(ServerRpc, Options);
    }

    /// <summary>Files under the server's directory other than <c>incoming/</c> (what a reader could be served).</summary>
    public IReadOnlyList<string> VisibleFiles() => [.. System.IO.Directory.EnumerateFiles(Directory, "*", SearchOption.AllDirectories)
        .Where(file => !file.Contains($"{Path.DirectorySeparatorChar}incoming{Path.DirectorySeparatorChar}", StringComparison.Ordinal))];

    public IReadOnlyList<string> IncomingFiles() => [.. System.IO.Directory.EnumerateFiles(Path.Combine(Directory, "incoming"))];

    public static byte[] RandomBytes(int length, int seed = 1)
    {
        byte[] bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    public static FakeTimeProvider FakeTime() => new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync();
        await ClientRpc.DisposeAsync();
        await ServerRpc.DisposeAsync();
        foreach (string directory in _directories)
        {
            try
            {
                System.IO.Directory.Delete(directory, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }
}
