using System.Reflection;

namespace Lottery.Tests.Fixtures;

/// <summary>Starts the lottery's roles (<c>dotnet Lottery.dll ROLE …</c>) as separate processes.</summary>
public static class LotteryRoles
{
    public static ChildProcess Start(string name, params string[] arguments) =>
        ChildProcess.Start(name, "dotnet", [LotteryPath(), .. arguments]);

    private static string LotteryPath()
    {
        // tests/Lottery.Tests/bin/<Configuration>/net10.0 → examples/Lottery/bin/<Configuration>/net10.0
        string configuration = typeof(LotteryRoles).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
        string path = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", "..", "examples", "Lottery", "bin", configuration, "net10.0", "Lottery.dll"));
        return File.Exists(path) ? path : throw new FileNotFoundException($"The lottery is not built at {path}: build the solution first.", path);
    }
}
