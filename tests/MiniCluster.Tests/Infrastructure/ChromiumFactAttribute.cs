namespace MiniCluster.Tests.Infrastructure;

/// <summary>A browser test: reported as skipped, naming the package to install, where Debian's chromium is missing.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class ChromiumFactAttribute : FactAttribute
{
    /// <summary>Debian's chromium, which Playwright drives instead of a downloaded browser.</summary>
    public const string Executable = "/usr/bin/chromium";

    public ChromiumFactAttribute()
    {
        if (!File.Exists(Executable))
        {
            Skip = $"{Executable} is missing: the dashboard tests drive Debian's chromium with Playwright; install the package chromium (apt-get install -y chromium).";
        }
    }
}
