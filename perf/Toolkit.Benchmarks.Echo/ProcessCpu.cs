using System.Diagnostics;
using System.Globalization;

namespace Toolkit.Benchmarks.Echo;

/// <summary>CPU time of a process from <c>/proc/&lt;pid&gt;/stat</c>: utime + stime (fields 14 and 15), in clock ticks.</summary>
internal static class ProcessCpu
{
    private const long DefaultTicksPerSecond = 100;

    /// <summary>Clock ticks per second (<c>getconf CLK_TCK</c>, read once); 100 when getconf cannot be run.</summary>
    public static long TicksPerSecond { get; } = ReadTicksPerSecond();

    /// <summary>utime + stime of <paramref name="pid"/>, in clock ticks.</summary>
    /// <exception cref="IOException">The process does not exist (any more) or its stat line cannot be parsed.</exception>
    public static long ReadTicks(int pid)
    {
        string line;
        try
        {
            line = File.ReadAllText($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/stat");
        }
        catch (Exception exception) when (exception is FileNotFoundException or DirectoryNotFoundException or UnauthorizedAccessException)
        {
            throw new IOException($"cannot read /proc/{pid}/stat: {exception.Message}", exception);
        }

        return ParseTicks(line);
    }

    /// <summary>utime + stime from one <c>/proc/&lt;pid&gt;/stat</c> line.</summary>
    public static long ParseTicks(string statLine)
    {
        // Field 2 (comm) is in parentheses and may itself contain spaces and parentheses: count fields after the last ')'.
        int close = statLine.LastIndexOf(')');
        string[] fields = close < 0 ? [] : statLine[(close + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);

        // fields[0] is field 3 (state), so field n is fields[n - 3].
        const int UTime = 14 - 3;
        const int STime = 15 - 3;
        if (fields.Length <= STime
            || !long.TryParse(fields[UTime], NumberStyles.None, CultureInfo.InvariantCulture, out long utime)
            || !long.TryParse(fields[STime], NumberStyles.None, CultureInfo.InvariantCulture, out long stime))
        {
            throw new IOException($"unexpected /proc/<pid>/stat line: {statLine}");
        }

        return utime + stime;
    }

    /// <summary>
    /// From the first line of <c>/proc/stat</c>, in clock ticks: the time the whole machine spent busy (user, nice,
    /// system, irq, softirq, steal) — minus client and server, it shows what else ran during the window — and the
    /// part of it that the hypervisor stole from this virtual machine.
    /// </summary>
    public static (long Busy, long Steal) ReadMachineTicks()
    {
        string line = File.ReadLines("/proc/stat").First();
        string[] fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length < 9 || fields[0] != "cpu")
        {
            throw new IOException($"unexpected /proc/stat line: {line}");
        }

        // cpu user nice system idle iowait irq softirq steal ...
        long busy = 0;
        foreach (int field in (ReadOnlySpan<int>)[1, 2, 3, 6, 7, 8])
        {
            busy += long.Parse(fields[field], NumberStyles.None, CultureInfo.InvariantCulture);
        }

        return (busy, long.Parse(fields[8], NumberStyles.None, CultureInfo.InvariantCulture));
    }

    public static double ToSeconds(long ticks) => ticks / (double)TicksPerSecond;

    private static long ReadTicksPerSecond()
    {
        try
        {
            using Process? getconf = Process.Start(new ProcessStartInfo("getconf", "CLK_TCK")
            {
                RedirectStandardOutput = true,
                UseShellExecute = false,
            });
            if (getconf is null)
            {
                return DefaultTicksPerSecond;
            }

            string output = getconf.StandardOutput.ReadToEnd();
            getconf.WaitForExit();
            return getconf.ExitCode == 0 && long.TryParse(output.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out long ticks) && ticks > 0
                ? ticks
                : DefaultTicksPerSecond;
        }
        catch (Exception exception) when (exception is System.ComponentModel.Win32Exception or InvalidOperationException or IOException)
        {
            return DefaultTicksPerSecond;
        }
    }
}
