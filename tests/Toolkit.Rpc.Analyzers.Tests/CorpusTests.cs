using System.Collections.Immutable;
using System.Diagnostics;
using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Xunit.Abstractions;

namespace Toolkit.Rpc.Analyzers.Tests;

/// <summary>
/// The generator tests' corpus holds every supported contract shape: every Toolkit analyzer finds it clean, as it
/// finds the examples, and analyzing it costs little next to compiling it.
/// </summary>
public sealed class CorpusTests(ITestOutputHelper output)
{
    private const int Rounds = 5;

    private static Compilation CorpusWithGeneratedSources() =>
        AnalyzerHelper.WithGeneratedSources(AnalyzerHelper.CreateCompilation(AnalyzerHelper.Corpus()));

    [Fact]
    public async Task Every_analyzer_finds_the_corpus_clean()
    {
        Compilation corpus = CorpusWithGeneratedSources();
        Assert.Contains(corpus.SyntaxTrees, tree => tree.FilePath.EndsWith("_Rpc.g.cs", StringComparison.Ordinal));
        ImmutableArray<Diagnostic> diagnostics = await corpus.WithAnalyzers(AnalyzerHelper.AllAnalyzers()).GetAllDiagnosticsAsync();
        Assert.Empty(diagnostics.Where(diagnostic => diagnostic.Severity >= DiagnosticSeverity.Warning).Select(AnalyzerHelper.Describe));
    }

    // What the SDK adds to a console project with ImplicitUsings on, as the examples have.
    private const string ImplicitUsings = "global using System;\nglobal using System.Collections.Generic;\nglobal using System.IO;\nglobal using System.Linq;\nglobal using System.Net.Http;\nglobal using System.Threading;\nglobal using System.Threading.Tasks;\n";

    /// <summary>
    /// Each example project is its own compilation (each has its own Program.cs), referencing the packages its build put
    /// in its output folder besides the framework and Toolkit.
    /// </summary>
    [Fact]
    public async Task Every_analyzer_finds_the_examples_clean()
    {
        string examples = Repository.Path("examples");
        string[] projects = [.. Directory.EnumerateFiles(examples, "*.csproj", SearchOption.AllDirectories).Order(StringComparer.Ordinal)];
        Assert.NotEmpty(projects);
        List<string> problems = [];
        foreach (string project in projects)
        {
            string folder = Path.GetDirectoryName(project)!;
            (string Path, string Text)[] sources =
            [
                .. Directory.EnumerateFiles(folder, "*.cs", SearchOption.AllDirectories)
                    .Where(path => !Path.GetRelativePath(folder, path).Split(Path.DirectorySeparatorChar).Any(part => part is "obj" or "bin"))
                    .Order(StringComparer.Ordinal)
                    .Select(path => (Path.GetRelativePath(examples, path), File.ReadAllText(path))),
                ("ImplicitUsings.cs", ImplicitUsings),
            ];
            Compilation compilation = AnalyzerHelper.CreateCompilation(sources).AddReferences(PackageReferences(project));
            compilation = AnalyzerHelper.WithGeneratedSources(
                compilation.WithOptions(compilation.Options.WithOutputKind(OutputKind.ConsoleApplication)),
                [.. FrameworkGenerators(sources)]);
            ImmutableArray<Diagnostic> diagnostics = await compilation.WithAnalyzers(AnalyzerHelper.AllAnalyzers()).GetAllDiagnosticsAsync();
            problems.AddRange(diagnostics.Where(diagnostic => diagnostic.Severity >= DiagnosticSeverity.Warning).Select(AnalyzerHelper.Describe));
        }

        Assert.Empty(problems);
    }

    /// <summary>
    /// The assemblies in the example's output folder that the framework and Toolkit do not already bring, and the
    /// ASP.NET Core shared framework when the project references it.
    /// </summary>
    internal static IEnumerable<MetadataReference> PackageReferences(string project)
    {
        IEnumerable<MetadataReference> shared = File.ReadAllText(project).Contains("Microsoft.AspNetCore.App", StringComparison.Ordinal)
            ? AspNetCoreReferences()
            : [];
        return [.. shared, .. OutputReferences(project)];
    }

    // System.Text.Json's source generator, from the targeting pack the SDK builds with, for an example that uses it.
    private static IEnumerable<ISourceGenerator> FrameworkGenerators((string Path, string Text)[] sources)
    {
        if (!sources.Any(source => source.Text.Contains("[JsonSerializable(", StringComparison.Ordinal)))
        {
            return [];
        }

        string runtime = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
        string dotnet = Path.GetDirectoryName(Path.GetDirectoryName(Path.GetDirectoryName(runtime)!)!)!;
        string generator = Path.Combine(dotnet, "packs", "Microsoft.NETCore.App.Ref", Path.GetFileName(runtime), "analyzers", "dotnet", "cs", "System.Text.Json.SourceGeneration.dll");
        return new AnalyzerFileReference(generator, new GeneratorLoader()).GetGenerators(LanguageNames.CSharp);
    }

    private sealed class GeneratorLoader : IAnalyzerAssemblyLoader
    {
        public void AddDependencyLocation(string fullPath)
        {
        }

        public Assembly LoadFromPath(string fullPath) => Assembly.LoadFrom(fullPath);
    }

    // The ASP.NET Core shared framework of the same version as the running runtime, beside it under shared/.
    private static IEnumerable<MetadataReference> AspNetCoreReferences()
    {
        string runtime = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
        string aspNet = Path.Combine(Path.GetDirectoryName(Path.GetDirectoryName(runtime)!)!, "Microsoft.AspNetCore.App", Path.GetFileName(runtime));
        return Directory.Exists(aspNet)
            ? [.. Directory.EnumerateFiles(aspNet, "*.dll").Select(path => MetadataReference.CreateFromFile(path))]
            : throw new DirectoryNotFoundException($"The ASP.NET Core shared framework is not at {aspNet}.");
    }

    private static IEnumerable<MetadataReference> OutputReferences(string project)
    {
        string configuration = typeof(CorpusTests).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
        string output = Path.Combine(Path.GetDirectoryName(project)!, "bin", configuration, "net10.0");
        if (!Directory.Exists(output))
        {
            return [];
        }

        HashSet<string> referenced = [.. AnalyzerHelper.References.Select(reference => Path.GetFileName(reference.Display ?? "")), Path.GetFileNameWithoutExtension(project) + ".dll"];
        return [.. Directory.EnumerateFiles(output, "*.dll").Where(path => !referenced.Contains(Path.GetFileName(path))).Select(path => MetadataReference.CreateFromFile(path))];
    }

    /// <summary>
    /// Compiling the corpus (binding every declaration and body, as <c>GetDiagnostics</c> does) against compiling it
    /// with every Toolkit analyzer on (<c>GetAllDiagnosticsAsync</c>), each on a fresh copy of the compilation so that
    /// no semantic cache is shared; medians of several rounds after a warm-up, alternating which goes first, so that
    /// JIT, collections and a busy machine weigh on both sides.
    /// </summary>
    [Fact]
    public async Task Analyzing_the_corpus_with_every_rule_costs_under_twice_compiling_it()
    {
        Compilation corpus = CorpusWithGeneratedSources();
        ImmutableArray<DiagnosticAnalyzer> analyzers = AnalyzerHelper.AllAnalyzers();
        await MeasureAsync(corpus, analyzers, 0);

        List<double> compile = [];
        List<double> analyzed = [];
        for (int round = 0; round < Rounds; round++)
        {
            (double plain, double withAnalyzers) = await MeasureAsync(corpus, analyzers, round);
            compile.Add(plain);
            analyzed.Add(withAnalyzers);
        }

        double ratio = Median(analyzed) / Median(compile);
        output.WriteLine($"{analyzers.Length} analyzers over {corpus.SyntaxTrees.Count()} files: compile {Median(compile):F1} ms, compile with analyzers {Median(analyzed):F1} ms, ratio {ratio:F2} (medians of {Rounds} rounds)");
        Assert.True(ratio < 2.0, $"analyzing costs {ratio:F2}× compiling; the budget is under 2×");
    }

    /// <summary>Milliseconds to compile without and with the analyzers, the order turning with <paramref name="round"/>.</summary>
    private static async Task<(double Compile, double WithAnalyzers)> MeasureAsync(Compilation corpus, ImmutableArray<DiagnosticAnalyzer> analyzers, int round)
    {
        double[] times = new double[2];
        for (int step = 0; step < 2; step++)
        {
            int kind = (step + round) % 2;

            // Each side starts from a fresh compilation and a collected heap, so neither pays for the other's garbage.
            Compilation fresh = corpus.Clone();
            GC.Collect();
            GC.WaitForPendingFinalizers();
            Stopwatch stopwatch = Stopwatch.StartNew();
            ImmutableArray<Diagnostic> diagnostics = kind == 0 ? fresh.GetDiagnostics() : await fresh.WithAnalyzers(analyzers).GetAllDiagnosticsAsync();
            times[kind] = stopwatch.Elapsed.TotalMilliseconds;
            Assert.Empty(diagnostics.Where(diagnostic => diagnostic.Severity == DiagnosticSeverity.Error).Select(AnalyzerHelper.Describe));
        }

        return (times[0], times[1]);
    }

    private static double Median(List<double> values)
    {
        List<double> sorted = [.. values.Order()];
        return sorted[sorted.Count / 2];
    }
}
