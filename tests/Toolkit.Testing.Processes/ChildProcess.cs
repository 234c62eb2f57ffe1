using System.Diagnostics;

namespace Toolkit.Testing.Processes;

/// <summary>
/// A helper program run with <c>dotnet &lt;dll&gt;</c>: its output lines are kept in order, each with the monotonic instant
/// the test read it at; waits on them are bounded. Killed when disposed.
/// </summary>
public sealed class ChildProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly List<(long At, string Text)> _lines = [];
    private readonly List<string> _errors = [];
    private readonly SemaphoreSlim _changed = new(0);
    private readonly Task _reader;
    private readonly Task _errorReader;

    private ChildProcess(Process process, string name)
    {
        _process = process;
        Name = name;
        _reader = Task.Run(async () =>
        {
            while (await process.StandardOutput.ReadLineAsync() is { } line)
            {
                lock (_lines)
                {
                    _lines.Add((MonotonicClock.Now, line));
                }

                _changed.Release();
            }

            _changed.Release();
        });
        _errorReader = Task.Run(async () =>
        {
            while (await process.StandardError.ReadLineAsync() is { } line)
            {
                lock (_errors)
                {
                    _errors.Add(line);
                }
            }
        });
    }

    public string Name { get; }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    public IReadOnlyList<(long At, string Text)> Lines
    {
        get
        {
            lock (_lines)
            {
                return [.. _lines];
            }
        }
    }

    public string ErrorText
    {
        get
        {
            lock (_errors)
            {
                return string.Join('\n', _errors.TakeLast(40));
            }
        }
    }

    /// <summary>Starts <paramref name="dll"/> under <c>dotnet</c>.</summary>
    public static ChildProcess Start(string name, string dll, params IEnumerable<string> arguments)
    {
        ProcessStartInfo start = new("dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(dll);
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["DOTNET_TieredPGO"] = "0";
        Process process = Process.Start(start) ?? throw new InvalidOperationException($"dotnet did not start {dll}");
        return new ChildProcess(process, name);
    }

    /// <summary>Waits for the first line (after <paramref name="skip"/> lines) that <paramref name="match"/> accepts.</summary>
    public async Task<(long At, string Text)> WaitForLineAsync(Func<string, bool> match, TimeSpan limit, string what, int skip = 0)
    {
        using CancellationTokenSource timeout = new(limit);
        int seen = skip;
        while (true)
        {
            IReadOnlyList<(long At, string Text)> lines = Lines;
            for (; seen < lines.Count; seen++)
            {
                if (match(lines[seen].Text))
                {
                    return lines[seen];
                }
            }

            if (_reader.IsCompleted && Lines.Count == seen)
            {
                throw new InvalidOperationException($"{Name} exited before {what}; stderr:\n{ErrorText}\nstdout:\n{Tail()}");
            }

            try
            {
                await _changed.WaitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"{Name}: no {what} within {limit.TotalSeconds} s; stdout:\n{Tail()}\nstderr:\n{ErrorText}");
            }
        }
    }

    public Task<(long At, string Text)> WaitForLineAsync(string prefix, TimeSpan limit, int skip = 0) =>
        WaitForLineAsync(line => line.StartsWith(prefix, StringComparison.Ordinal), limit, $"line starting '{prefix}'", skip);

    public string Tail(int count = 30) => string.Join('\n', Lines.TakeLast(count).Select(line => line.Text));

    public void Signal(int signal) => Signals.Send(_process.Id, signal);

    /// <summary>Kills the process as a crash would (SIGKILL) and waits for it to be gone.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            Signal(Signals.Kill);
        }

        using CancellationTokenSource timeout = new(TimeSpan.FromSeconds(10));
        await _process.WaitForExitAsync(timeout.Token);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                // A stopped process would not die of SIGTERM; SIGKILL works on stopped processes too.
                _process.Kill(entireProcessTree: true);
                using CancellationTokenSource timeout = new(TimeSpan.FromSeconds(10));
                await _process.WaitForExitAsync(timeout.Token);
            }

            await Task.WhenAll(_reader, _errorReader).WaitAsync(TimeSpan.FromSeconds(5));
        }
        catch (Exception exception) when (exception is InvalidOperationException or TimeoutException or OperationCanceledException)
        {
            // Already gone, or its pipes did not close in time: nothing more to collect.
        }

        _process.Dispose();
        _changed.Dispose();
    }
}
