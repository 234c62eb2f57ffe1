namespace Lottery.Tests.Fixtures;

internal static class Binaries
{
    /// <summary>The full path of <paramref name="name"/> on PATH or in one of <paramref name="extraDirectories"/>, or null.</summary>
    public static string? Find(string name, params string[] extraDirectories)
    {
        IEnumerable<string> directories = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries).Concat(extraDirectories);
        return directories.Select(directory => Path.Combine(directory, name)).FirstOrDefault(File.Exists);
    }

    public static bool IsRoot => Environment.UserName == "root";

    public static async Task<(int ExitCode, string Output)> RunAsync(string file, IEnumerable<string> arguments, TimeSpan timeout, string? user = null)
    {
        ChildProcess process = ChildProcess.Start(Path.GetFileName(file), file, arguments, user);
        await using (process)
        {
            int code = await process.WaitForExitAsync(timeout);
            return (code, process.Output);
        }
    }
}
