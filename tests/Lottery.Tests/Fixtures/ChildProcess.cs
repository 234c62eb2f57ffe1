using System.Diagnostics;
using System.Text;

namespace Lottery.Tests.Fixtures;

/// <summary>A process the tests start, read, and stop or kill; its output is kept for failure messages.</summary>
public sealed class ChildProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly List<(string Prefix, TaskCompletionSource<string> Line)> _waiters = [];

    private ChildProcess(Process process, string name)
    {
        _process = process;
        Name = name;
        _process.OutputDataReceived += (_, e) => OnLine(e.Data);
        _process.ErrorDataReceived += (_, e) => OnLine(e.Data is null ? null : "stderr: " + e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public string Name { get; }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public static ChildProcess Start(string name, string file, IEnumerable<string> arguments, string? user = null, IDictionary<string, string>? environment = null)
    {
        ProcessStartInfo start = new(user is null ? file : "runuser")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (user is not null)
        {
            start.ArgumentList.Add("-u");
            start.ArgumentList.Add(user);
            start.ArgumentList.Add("--");
            start.ArgumentList.Add(file);
        }

        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach ((string key, string value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        return new ChildProcess(Process.Start(start) ?? throw new InvalidOperationException($"{file} did not start"), name);
    }

    /// <summary>Waits for a line starting with <paramref name="prefix"/>; fails with the output so far when the process exits or time runs out.</summary>
    public async Task<string> WaitForLineAsync(string prefix, TimeSpan timeout)
    {
        TaskCompletionSource<string> line = new(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_output)
        {
            foreach (string existing in _output.ToString().Split('\n'))
            {
                if (existing.StartsWith(prefix, StringComparison.Ordinal))
                {
                    return existing.TrimEnd('\r');
                }
            }

            _waiters.Add((prefix, line));
        }

        Task exited = _process.WaitForExitAsync();
        Task finished = await Task.WhenAny(line.Task, exited, Task.Delay(timeout));
        if (finished == line.Task)
        {
            return await line.Task;
        }

        await Task.Delay(100); // let the last lines arrive
        throw new InvalidOperationException($"{Name} {(finished == exited ? $"exited with {_process.ExitCode}" : $"did not print '{prefix}' within {timeout.TotalSeconds:0} s")}:\n{Output}");
    }

    /// <summary>SIGKILL, as a crash: no goodbye, nothing flushed.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        await _process.WaitForExitAsync();
    }

    /// <summary>Closes standard input (the lottery's roles stop gracefully on it) and waits for the exit code.</summary>
    public async Task<int> StopAsync(TimeSpan timeout)
    {
        if (!_process.HasExited)
        {
            _process.StandardInput.Close();
        }

        using CancellationTokenSource deadline = new(timeout);
        try
        {
            await _process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{Name} did not stop within {timeout.TotalSeconds:0} s:\n{Output}");
        }

        return _process.ExitCode;
    }

    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using CancellationTokenSource deadline = new(timeout);
        try
        {
            await _process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{Name} did not finish within {timeout.TotalSeconds:0} s:\n{Output}");
        }

        await Task.Delay(50);
        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private void OnLine(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.Append(line).Append('\n');
            foreach ((string prefix, TaskCompletionSource<string> waiter) in _waiters.ToList())
            {
                if (line.StartsWith(prefix, StringComparison.Ordinal))
                {
                    _waiters.Remove((prefix, waiter));
                    waiter.TrySetResult(line);
                }
            }
        }
    }
}
