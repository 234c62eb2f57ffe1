using System.Collections.Immutable;
using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.Extensions.Logging;

namespace Toolkit.Rpc.Generators.Tests;

/// <summary>
/// Compiles C# against the running runtime and Toolkit.Rpc, runs <see cref="RpcGenerator"/> over it with step
/// tracking on, and returns what came out.
/// </summary>
internal static class CompilationHelper
{
    public const string AssemblyName = "Toolkit.Corpus";

    public static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest);

    private static readonly CSharpCompilationOptions CompilationOptions = new(
        OutputKind.DynamicallyLinkedLibrary,
        nullableContextOptions: NullableContextOptions.Enable,
        concurrentBuild: false);

    private static readonly Lazy<ImmutableArray<MetadataReference>> References = new(LoadReferences);

    public static CSharpCompilation CreateCompilation(params string[] sources) =>
        CreateCompilation(sources.Select((text, index) => ($"Source{index}.cs", text)));

    public static CSharpCompilation CreateCompilation(IEnumerable<(string Path, string Text)> sources) => CSharpCompilation.Create(
        AssemblyName,
        sources.Select(source => CSharpSyntaxTree.ParseText(Normalize(source.Text), ParseOptions, source.Path)),
        References.Value,
        CompilationOptions);

    public static GeneratorDriver CreateDriver() => CSharpGeneratorDriver.Create(
        [new RpcGenerator().AsSourceGenerator()],
        parseOptions: ParseOptions,
        driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));

    /// <summary>Runs the generator on <paramref name="compilation"/>, continuing from <paramref name="driver"/> when given.</summary>
    public static GeneratorRun Run(Compilation compilation, GeneratorDriver? driver = null)
    {
        driver = (driver ?? CreateDriver()).RunGeneratorsAndUpdateCompilation(compilation, out Compilation output, out ImmutableArray<Diagnostic> diagnostics);
        return new GeneratorRun(output, driver, diagnostics);
    }

    public static GeneratorRun Run(params string[] sources) => Run(CreateCompilation(sources));

    /// <summary>Runs the generator and asserts that neither it nor the compiler has anything to say, errors or warnings.</summary>
    public static GeneratorRun RunClean(Compilation compilation)
    {
        GeneratorRun run = Run(compilation);
        AssertClean(run);
        return run;
    }

    public static void AssertClean(GeneratorRun run)
    {
        Assert.Null(run.Result.Results.Single().Exception);
        Assert.Empty(run.GeneratorDiagnostics.Select(Describe));
        Assert.Empty(run.Output.GetDiagnostics()
            .Where(diagnostic => diagnostic.Severity >= DiagnosticSeverity.Warning)
            .Select(Describe));
    }

    /// <summary>Reads a corpus file embedded from the Corpus folder.</summary>
    public static string Corpus(string fileName)
    {
        using Stream stream = typeof(CompilationHelper).Assembly.GetManifestResourceStream("Corpus." + fileName)
            ?? throw new InvalidOperationException($"No embedded corpus file named {fileName}.");
        using StreamReader reader = new(stream);
        return reader.ReadToEnd();
    }

    public static IEnumerable<string> CorpusFileNames() => typeof(CompilationHelper).Assembly.GetManifestResourceNames()
        .Where(name => name.StartsWith("Corpus.", StringComparison.Ordinal))
        .Select(name => name["Corpus.".Length..])
        .Order(StringComparer.Ordinal);

    /// <summary>Line endings as \n, so that spans and baselines do not depend on how git checked the files out.</summary>
    public static string Normalize(string text) => text.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n');

    private static string Describe(Diagnostic diagnostic) =>
        $"{diagnostic.Location.GetLineSpan()}: {diagnostic.Id} {diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture)}";

    // The framework assemblies of the runtime running the tests (the trusted platform assemblies that live in its
    // directory; the rest of the list is this test project's own dependencies), plus Toolkit.Rpc and what it exposes.
    private static ImmutableArray<MetadataReference> LoadReferences()
    {
        string frameworkDirectory = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
        string trusted = (string?)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")
            ?? throw new InvalidOperationException("The runtime lists no trusted platform assemblies.");
        IEnumerable<string> framework = trusted
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Where(path => string.Equals(Path.GetDirectoryName(path), frameworkDirectory, StringComparison.Ordinal));
        Assembly[] toolkit = [typeof(RpcService).Assembly, typeof(ILogger).Assembly];
        return [.. framework.Concat(toolkit.Select(assembly => assembly.Location)).Distinct(StringComparer.Ordinal).Select(path => MetadataReference.CreateFromFile(path))];
    }
}

/// <summary>The outcome of one generator run.</summary>
/// <param name="Output">The input compilation with the generated sources added.</param>
/// <param name="Driver">The driver after the run, to run again incrementally.</param>
/// <param name="GeneratorDiagnostics">What the generator reported.</param>
internal sealed record GeneratorRun(Compilation Output, GeneratorDriver Driver, ImmutableArray<Diagnostic> GeneratorDiagnostics)
{
    public GeneratorDriverRunResult Result => Driver.GetRunResult();

    public GeneratorRunResult Generator => Result.Results.Single();

    public ImmutableArray<GeneratedSourceResult> Sources => Generator.GeneratedSources;

    public string Source(string hintName) => Sources.Single(source => source.HintName == hintName).SourceText.ToString();
}
