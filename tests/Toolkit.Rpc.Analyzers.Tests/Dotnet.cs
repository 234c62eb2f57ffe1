using System.Diagnostics;
using System.Text;

namespace Toolkit.Rpc.Analyzers.Tests;

/// <summary>Runs the <c>dotnet</c> command line, the one running these tests when it is known.</summary>
internal static class Dotnet
{
    /// <summary>The dotnet executable, or null when there is none to run.</summary>
    public static string? Executable { get; } = Find();

    public static async Task<(int ExitCode, string Output)> RunAsync(string workingDirectory, TimeSpan timeout, params string[] arguments)
    {
        ProcessStartInfo start = new(Executable ?? throw new InvalidOperationException("dotnet is not available."))
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // The test host may carry MSBuild settings of the build that launched it; the child starts from its own.
        foreach (string name in start.Environment.Keys.Where(key => key.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase)).ToArray())
        {
            start.Environment.Remove(name);
        }

        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["MSBUILDDISABLENODEREUSE"] = "1";

        using Process process = Process.Start(start)!;
        StringBuilder output = new();
        Task stdout = Pump(process.StandardOutput, output);
        Task stderr = Pump(process.StandardError, output);
        using CancellationTokenSource deadline = new(timeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"dotnet {string.Join(' ', arguments)} took longer than {timeout}:\n{output}");
        }

        await Task.WhenAll(stdout, stderr);
        return (process.ExitCode, output.ToString());
    }

    private static async Task Pump(StreamReader reader, StringBuilder output)
    {
        while (await reader.ReadLineAsync() is { } line)
        {
            lock (output)
            {
                output.AppendLine(line);
            }
        }
    }

    private static string? Find()
    {
        // dotnet test names the host that runs it; otherwise look on the PATH.
        string? host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        if (host is not null && File.Exists(host))
        {
            return host;
        }

        string name = OperatingSystem.IsWindows() ? "dotnet.exe" : "dotnet";
        return (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(directory => Path.Combine(directory, name))
            .FirstOrDefault(File.Exists);
    }
}

/// <summary>A fact that needs the dotnet command line, skipped with the reason when there is none.</summary>
internal sealed class DotnetFactAttribute : FactAttribute
{
    public DotnetFactAttribute()
    {
        if (Dotnet.Executable is null)
        {
            Skip = "dotnet is not available (neither DOTNET_HOST_PATH nor the PATH names it), so the package cannot be packed and consumed.";
        }
    }
}
