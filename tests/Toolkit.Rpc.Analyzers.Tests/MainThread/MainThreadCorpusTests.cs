using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using static Toolkit.Rpc.Analyzers.Tests.MainThread.MainThreadTestHelper;

namespace Toolkit.Rpc.Analyzers.Tests.MainThread;

/// <summary>Toolkit's own endpoints (the QuickStart example, the runtime tests' probe) give the main-thread rules nothing to say.</summary>
public sealed class MainThreadCorpusTests
{
    // What the SDK's implicit usings put in scope for these projects.
    private const string SdkUsings = """
        global using System;
        global using System.Collections.Generic;
        global using System.IO;
        global using System.Linq;
        global using System.Net.Http;
        global using System.Threading;
        global using System.Threading.Tasks;
        """;

    // The runtime tests' endpoints and the small helpers they use (the loopback rigs beside them need the runtime's internals).
    private static readonly string[] RuntimeTestEndpoints =
    [
        "tests/Toolkit.Rpc.Tests/Endpoints",
        "tests/Toolkit.Rpc.Tests/Infrastructure/Alone.cs",
        "tests/Toolkit.Rpc.Tests/Infrastructure/CountingTimeProvider.cs",
        "tests/Toolkit.Rpc.Tests/Infrastructure/Eventually.cs",
    ];

    [Fact]
    public async Task The_QuickStart_example_has_no_main_thread_diagnostics()
    {
        CSharpCompilation compilation = CompileFolders(OutputKind.ConsoleApplication, SdkUsings, [], "examples/QuickStart")
            .AddReferences(CorpusTests.PackageReferences(Path.Combine(Repository.Root, "examples", "QuickStart", "QuickStart.csproj")));
        Assert.Contains(compilation.SyntaxTrees, tree => tree.FilePath.EndsWith("ResourceManager.cs", StringComparison.Ordinal));
        Assert.Empty((await AnalyzeAsync(compilation)).Select(AnalyzerHelper.Describe));
    }

    [Fact]
    public async Task The_runtime_test_endpoints_have_no_main_thread_diagnostics()
    {
        CSharpCompilation compilation = CompileFolders(
            OutputKind.DynamicallyLinkedLibrary,
            SdkUsings + "\nglobal using Xunit;\nglobal using Microsoft.Extensions.Time.Testing;",
            [typeof(Assert).Assembly.Location, typeof(FactAttribute).Assembly.Location, typeof(Microsoft.Extensions.Time.Testing.FakeTimeProvider).Assembly.Location],
            RuntimeTestEndpoints);
        Assert.Contains(compilation.SyntaxTrees, tree => tree.FilePath.EndsWith("ProbeEndpoint.cs", StringComparison.Ordinal));
        Assert.Empty((await AnalyzeAsync(compilation)).Select(AnalyzerHelper.Describe));
    }

    [Fact]
    public async Task The_probe_endpoint_blocks_on_purpose_and_says_so()
    {
        // Without its #pragma, ProbeEndpoint.BlockAsync is exactly what TK1001 is for.
        CSharpCompilation compilation = CompileFolders(
            OutputKind.DynamicallyLinkedLibrary,
            SdkUsings + "\nglobal using Xunit;\nglobal using Microsoft.Extensions.Time.Testing;",
            [typeof(Assert).Assembly.Location, typeof(FactAttribute).Assembly.Location, typeof(Microsoft.Extensions.Time.Testing.FakeTimeProvider).Assembly.Location],
            RuntimeTestEndpoints);
        SyntaxTree probe = compilation.SyntaxTrees.Single(tree => tree.FilePath.EndsWith("ProbeEndpoint.cs", StringComparison.Ordinal));
        string withoutPragmas = string.Join('\n', probe.GetText().ToString().Split('\n').Where(line => !line.TrimStart().StartsWith("#pragma", StringComparison.Ordinal)));
        compilation = compilation.ReplaceSyntaxTree(probe, probe.WithChangedText(Microsoft.CodeAnalysis.Text.SourceText.From(withoutPragmas)));

        Diagnostic diagnostic = Assert.Single(await AnalyzeAsync(compilation));
        AssertDiagnostic(diagnostic, BlockingWaitAnalyzer.Rule, "Wait(TimeSpan.FromSeconds(10))", "ManualResetEventSlim.Wait", "ProbeEndpoint",
            "await an asynchronous signal (a TaskCompletionSource or SemaphoreSlim.WaitAsync) instead");
    }

    /// <summary>Compiles the C# files of each folder (top level only), or the file itself where an entry names one.</summary>
    private static CSharpCompilation CompileFolders(OutputKind kind, string globalUsings, string[] extraReferences, params string[] entries)
    {
        string root = Repository.Root;
        IEnumerable<(string Path, string Text)> sources = entries
            .Select(entry => Path.Combine(root, entry))
            .SelectMany(path => path.EndsWith(".cs", StringComparison.Ordinal) ? [path] : Directory.EnumerateFiles(path, "*.cs", SearchOption.TopDirectoryOnly))
            .Order(StringComparer.Ordinal)
            .Select(path => (path, File.ReadAllText(path)));
        CSharpCompilation compilation = Compile(sources.Prepend(("GlobalUsings.cs", globalUsings)));
        return compilation
            .WithOptions(compilation.Options.WithOutputKind(kind))
            .AddReferences(extraReferences.Select(path => MetadataReference.CreateFromFile(path)));
    }
}
