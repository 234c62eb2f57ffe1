using System.Reflection;

namespace Toolkit.Testing.Processes;

/// <summary>
/// Where a helper program's build output is: a project beside the test project (tests/X/bin/Configuration/net10.0),
/// or one of the runners under perf/.
/// </summary>
public static class HelperPaths
{
    public static string Dll(Assembly testAssembly, string project)
    {
        string configuration = testAssembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
        string tests = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "..", "..", ".."));
        string[] candidates =
        [
            Path.Combine(tests, project, "bin", configuration, "net10.0", project + ".dll"),
            Path.Combine(tests, "..", "perf", project, "bin", configuration, "net10.0", project + ".dll"),
        ];
        string? found = candidates.Select(Path.GetFullPath).FirstOrDefault(File.Exists);
        return found ?? throw new FileNotFoundException(
            $"The helper {project} is not built at {string.Join(" or ", candidates.Select(Path.GetFullPath))}: build the solution first.", candidates[0]);
    }
}
