using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using Toolkit.Benchmarks.Serialization;

namespace Toolkit.Benchmarks;

internal static class Program
{
    /// <summary>
    /// Runs the benchmarks that BenchmarkDotNet's arguments select (<c>--filter '*Serializer*'</c>, <c>--job short</c>, ...).
    /// <c>--quick</c> stands for <c>--job short</c>. Exits with 1 when a benchmark failed or a config was invalid.
    /// </summary>
    private static int Main(string[] args)
    {
        EncodedSizes.Print(Console.Out);
        string[] arguments = [.. args.SelectMany(static argument => argument == "--quick" ? (string[])["--job", "short"] : [argument])];
        Summary[] summaries = [.. BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(arguments)];
        bool failed = summaries.Any(static summary => summary.HasCriticalValidationErrors || summary.Reports.Any(static report => !report.Success));
        return failed ? 1 : 0;
    }
}
