using System.Diagnostics;
using System.Reflection;

namespace Toolkit.Rpc.Tests.Processes;

/// <summary>Toolkit.Rpc.TestServer running as a process of its own: a peer that can really be killed and restarted.</summary>
public sealed class TestServerProcess : IAsyncDisposable
{
    private readonly Process _process;

    private TestServerProcess(Process process, string address)
    {
        _process = process;
        Address = address;
    }

    /// <summary>The server's <c>host:port</c>.</summary>
    public string Address { get; }

    public bool HasExited => _process.HasExited;

    /// <summary>The server's process id, which its node id carries (<c>test-server-{id}</c>).</summary>
    public int ProcessId => _process.Id;

    /// <summary>Starts the server and waits for it to listen.</summary>
    public static async Task<TestServerProcess> StartAsync(params string[] arguments)
    {
        ProcessStartInfo start = new("dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(ServerPath());
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        Process process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
        using CancellationTokenSource timeout = new(TimeSpan.FromSeconds(30));
        try
        {
            while (true)
            {
                string? line = await process.StandardOutput.ReadLineAsync(timeout.Token);
                if (line is null)
                {
                    string error = await process.StandardError.ReadToEndAsync(timeout.Token);
                    throw new InvalidOperationException($"The test server exited before it listened: {error}");
                }

                if (line.StartsWith("LISTENING ", StringComparison.Ordinal))
                {
                    return new TestServerProcess(process, line["LISTENING ".Length..]);
                }
            }
        }
        catch
        {
            process.Kill(entireProcessTree: true);
            process.Dispose();
            throw;
        }
    }

    /// <summary>Kills the process as a crash would: no goodbye on its connections.</summary>
    public async Task KillAsync()
    {
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.StandardInput.Close();
            using CancellationTokenSource timeout = new(TimeSpan.FromSeconds(10));
            try
            {
                await _process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                _process.Kill(entireProcessTree: true);
            }
        }

        _process.Dispose();
    }

    private static string ServerPath()
    {
        // tests/Toolkit.Rpc.Tests/bin/<Configuration>/net10.0 → tests/Toolkit.Rpc.TestServer/bin/<Configuration>/net10.0
        string configuration = typeof(TestServerProcess).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
        string path = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", "Toolkit.Rpc.TestServer", "bin", configuration, "net10.0", "Toolkit.Rpc.TestServer.dll"));
        return File.Exists(path) ? path : throw new FileNotFoundException($"The test server is not built at {path}: build the solution first.", path);
    }
}
