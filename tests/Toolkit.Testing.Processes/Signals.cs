using System.Runtime.InteropServices;

namespace Toolkit.Testing.Processes;

/// <summary>POSIX signals to child processes: a crash (SIGKILL), a pause (SIGSTOP) and its end (SIGCONT).</summary>
public static partial class Signals
{
    public const int Kill = 9;
    public const int Continue = 18;
    public const int Stop = 19;

    /// <summary>Sends <paramref name="signal"/> to <paramref name="processId"/>; throws with errno when the kernel refuses.</summary>
    public static void Send(int processId, int signal)
    {
        if (SendSignal(processId, signal) != 0)
        {
            throw new InvalidOperationException($"kill({processId}, {signal}) failed with errno {Marshal.GetLastPInvokeError()}");
        }
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int SendSignal(int pid, int signal);
}
