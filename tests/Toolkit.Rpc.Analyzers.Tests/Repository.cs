namespace Toolkit.Rpc.Analyzers.Tests;

/// <summary>Files of the repository these tests were built from.</summary>
internal static class Repository
{
    public static string Root { get; } = FindRoot();

    public static string Path(params string[] parts) => System.IO.Path.Combine([Root, .. parts]);

    private static string FindRoot()
    {
        for (DirectoryInfo? directory = new(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(directory.FullName, "Toolkit.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No Toolkit.sln above {AppContext.BaseDirectory}.");
    }
}
