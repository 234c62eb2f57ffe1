using System.Reflection;

namespace Toolkit.Testing.Processes;

/// <summary>Where a helper program's build output is, beside the test project's own (tests/X/bin/Configuration/net10.0).</summary>
public static class HelperPaths
{
    public static string Dll(Assembly testAssembly, string project)
    {
        string configuration = testAssembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
        string path = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", project, "bin", configuration, "net10.0", project + ".dll"));
        return File.Exists(path) ? path : throw new FileNotFoundException($"The helper {project} is not built at {path}: build the solution first.", path);
    }
}
