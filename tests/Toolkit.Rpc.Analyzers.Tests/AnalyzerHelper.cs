using System.Collections.Immutable;
using System.Globalization;
using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.Extensions.Logging;
using Toolkit.Rpc.Analyzers.Contract;
using Toolkit.Rpc.Generators;

namespace Toolkit.Rpc.Analyzers.Tests;

/// <summary>
/// Compiles C# against the running runtime and Toolkit.Rpc and runs analyzers over it with
/// <c>compilation.WithAnalyzers(...).GetAnalyzerDiagnosticsAsync()</c>, the way a build does.
/// </summary>
internal static class AnalyzerHelper
{
    public const string AssemblyName = "Toolkit.Samples";

    public static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest);

    public static readonly CSharpCompilationOptions CompilationOptions = new(
        OutputKind.DynamicallyLinkedLibrary,
        nullableContextOptions: NullableContextOptions.Enable,
        concurrentBuild: false);

    private static readonly Lazy<ImmutableArray<MetadataReference>> LazyReferences = new(LoadReferences);

    /// <summary>The running runtime's framework assemblies plus Toolkit.Rpc and what it exposes.</summary>
    public static ImmutableArray<MetadataReference> References => LazyReferences.Value;

    /// <summary>Every analyzer Toolkit ships: each concrete <see cref="DiagnosticAnalyzer"/> of the analyzer assembly.</summary>
    public static ImmutableArray<DiagnosticAnalyzer> AllAnalyzers() =>
    [
        .. typeof(ContractAnalyzer).Assembly.GetTypes()
            .Where(type => !type.IsAbstract && typeof(DiagnosticAnalyzer).IsAssignableFrom(type) && type.GetCustomAttribute<DiagnosticAnalyzerAttribute>() is not null)
            .OrderBy(type => type.FullName, StringComparer.Ordinal)
            .Select(type => (DiagnosticAnalyzer)Activator.CreateInstance(type)!),
    ];

    public static CSharpCompilation CreateCompilation(params string[] sources) =>
        CreateCompilation(sources.Select((text, index) => ($"Source{index}.cs", text)));

    public static CSharpCompilation CreateCompilation(IEnumerable<(string Path, string Text)> sources) => CSharpCompilation.Create(
        AssemblyName,
        sources.Select(source => CSharpSyntaxTree.ParseText(Normalize(source.Text), ParseOptions, source.Path)),
        References,
        CompilationOptions);

    /// <summary>The compilation with the generator's sources added, as the compiler sees it in a user's build.</summary>
    public static Compilation WithGeneratedSources(Compilation compilation, params ISourceGenerator[] others)
    {
        CSharpGeneratorDriver.Create([new RpcGenerator().AsSourceGenerator(), .. others], parseOptions: ParseOptions)
            .RunGeneratorsAndUpdateCompilation(compilation, out Compilation output, out _);
        return output;
    }

    /// <summary>
    /// Asserts that the source compiles without errors or warnings of the compiler's own, then returns what every
    /// Toolkit analyzer reports on it, in source order.
    /// </summary>
    public static async Task<ImmutableArray<Diagnostic>> AnalyzeAsync(string source)
    {
        CSharpCompilation compilation = CreateCompilation(source);
        Assert.Empty(compilation.GetDiagnostics().Where(diagnostic => diagnostic.Severity >= DiagnosticSeverity.Warning).Select(Describe));
        ImmutableArray<Diagnostic> diagnostics = await compilation
            .WithAnalyzers(AllAnalyzers())
            .GetAnalyzerDiagnosticsAsync();
        return [.. diagnostics.OrderBy(diagnostic => diagnostic.Location.SourceSpan.Start)];
    }

    /// <summary>
    /// Exactly one Toolkit diagnostic: the expected id, as an error, at a span whose text is <paramref name="spanText"/>,
    /// with exactly these message arguments.
    /// </summary>
    public static async Task AssertReportsAsync(string source, string id, string spanText, params string[] arguments)
    {
        ImmutableArray<Diagnostic> diagnostics = await AnalyzeAsync(source);
        Diagnostic diagnostic = Assert.Single(diagnostics);
        Assert.Equal(id, diagnostic.Id);
        Assert.Equal(DiagnosticSeverity.Error, diagnostic.Severity);
        string expected = string.Format(CultureInfo.InvariantCulture, diagnostic.Descriptor.MessageFormat.ToString(CultureInfo.InvariantCulture), arguments);
        Assert.Equal(expected, diagnostic.GetMessage(CultureInfo.InvariantCulture));
        Assert.True(diagnostic.Location.IsInSource, $"{id} points into the source");
        Assert.Equal(spanText, diagnostic.Location.SourceTree!.GetText().ToString(diagnostic.Location.SourceSpan));
    }

    /// <summary>The nearest good contract: neither the compiler nor any Toolkit analyzer has anything to say.</summary>
    public static async Task AssertCleanAsync(string source) => Assert.Empty((await AnalyzeAsync(source)).Select(Describe));

    public static string Describe(Diagnostic diagnostic) =>
        $"{diagnostic.Location.GetLineSpan()}: {diagnostic.Id} {diagnostic.GetMessage(CultureInfo.InvariantCulture)}";

    /// <summary>Reads a file of the generator tests' corpus, embedded in this assembly.</summary>
    public static IEnumerable<(string Path, string Text)> Corpus() => typeof(AnalyzerHelper).Assembly.GetManifestResourceNames()
        .Where(name => name.StartsWith("Corpus.", StringComparison.Ordinal))
        .Order(StringComparer.Ordinal)
        .Select(name =>
        {
            using Stream stream = typeof(AnalyzerHelper).Assembly.GetManifestResourceStream(name)!;
            using StreamReader reader = new(stream);
            return (name["Corpus.".Length..], reader.ReadToEnd());
        });

    /// <summary>Line endings as \n, so that spans do not depend on how git checked the files out.</summary>
    public static string Normalize(string text) => text.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n');

    // The framework assemblies of the runtime running the tests (the trusted platform assemblies that live in its
    // directory), plus Toolkit.Rpc and what it exposes.
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
