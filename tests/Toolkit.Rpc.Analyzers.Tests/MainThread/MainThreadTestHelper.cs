using System.Collections.Immutable;
using System.Globalization;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;

namespace Toolkit.Rpc.Analyzers.Tests.MainThread;

/// <summary>
/// Compiles C# against the running runtime and Toolkit.Rpc, runs the main-thread analyzers over it, and applies their
/// code fixes through an <see cref="AdhocWorkspace"/>. Every test source gets <see cref="GlobalUsings"/> and
/// <see cref="Contracts"/> as further files.
/// </summary>
internal static class MainThreadTestHelper
{
    public const string GlobalUsings = """
        global using System;
        global using System.Collections.Generic;
        global using System.Collections.Immutable;
        global using System.Threading;
        global using System.Threading.Tasks;
        global using Toolkit.Rpc;
        """;

    /// <summary>Gateways and messages the test endpoints use.</summary>
    public const string Contracts = """
        [RpcGateway]
        public interface IWorkerGateway
        {
            Task<int> ComputeAsync(int input);
            ValueTask ResetAsync();
            void Notify(string text);
            Task SubmitAsync(Order order);
            Task SubmitBatchAsync(List<int> items);
            Task SubmitFrozenAsync(FrozenOrder order);
            Task SubmitAllAsync(ImmutableArray<int> items);
        }

        public sealed class Order
        {
            public string Id { get; set; } = "";
        }

        public sealed record FrozenOrder(string Id, int Quantity);
        """;

    /// <summary>Every main-thread analyzer Toolkit ships.</summary>
    public static readonly ImmutableArray<DiagnosticAnalyzer> AllAnalyzers = [.. AnalyzerHelper.AllAnalyzers().OfType<MainThreadAnalyzer>()];

    public static CSharpCompilation Compile(IEnumerable<(string Path, string Text)> sources) => CSharpCompilation.Create(
        "Toolkit.MainThread.Tests",
        sources.Select(source => CSharpSyntaxTree.ParseText(AnalyzerHelper.Normalize(source.Text), AnalyzerHelper.ParseOptions, source.Path)),
        AnalyzerHelper.References,
        AnalyzerHelper.CompilationOptions);

    public static CSharpCompilation Compile(string source) =>
        Compile([("GlobalUsings.cs", GlobalUsings), ("Contracts.cs", Contracts), ("Test.cs", source)]);

    /// <summary>Runs <paramref name="analyzers"/> (all main-thread analyzers when none) and returns their diagnostics in source order.</summary>
    public static async Task<ImmutableArray<Diagnostic>> AnalyzeAsync(Compilation compilation, params DiagnosticAnalyzer[] analyzers)
    {
        AssertNoErrors(compilation);
        ImmutableArray<Diagnostic> diagnostics = await compilation
            .WithAnalyzers(analyzers.Length == 0 ? AllAnalyzers : [.. analyzers])
            .GetAnalyzerDiagnosticsAsync();
        return [.. diagnostics.OrderBy(diagnostic => diagnostic.Location.SourceTree?.FilePath, StringComparer.Ordinal).ThenBy(diagnostic => diagnostic.Location.SourceSpan.Start)];
    }

    public static Task<ImmutableArray<Diagnostic>> AnalyzeAsync(string source, params DiagnosticAnalyzer[] analyzers) =>
        AnalyzeAsync(Compile(source), analyzers);

    /// <summary>
    /// Asserts that <paramref name="source"/> makes all the main-thread analyzers report exactly one diagnostic: the
    /// one of <paramref name="descriptor"/>, over <paramref name="spanText"/>, with the message formatted from
    /// <paramref name="arguments"/>.
    /// </summary>
    public static async Task VerifySingleAsync(string source, DiagnosticDescriptor descriptor, string spanText, params string[] arguments)
    {
        Diagnostic diagnostic = Assert.Single(await AnalyzeAsync(source));
        AssertDiagnostic(diagnostic, descriptor, spanText, arguments);
    }

    public static void AssertDiagnostic(Diagnostic diagnostic, DiagnosticDescriptor descriptor, string spanText, params string[] arguments)
    {
        Assert.Equal(descriptor.Id, diagnostic.Id);
        Assert.Equal(DiagnosticSeverity.Warning, diagnostic.Severity);
        Assert.Equal(spanText, diagnostic.Location.SourceTree!.GetText().ToString(diagnostic.Location.SourceSpan));
        Assert.Equal(
            string.Format(CultureInfo.InvariantCulture, descriptor.MessageFormat.ToString(CultureInfo.InvariantCulture), arguments),
            diagnostic.GetMessage(CultureInfo.InvariantCulture));
    }

    /// <summary>Asserts that none of the main-thread analyzers reports anything on <paramref name="source"/>.</summary>
    public static async Task VerifyNoneAsync(string source) => Assert.Empty((await AnalyzeAsync(source)).Select(AnalyzerHelper.Describe));

    /// <summary>
    /// Applies the first fix that <paramref name="fix"/> offers for the single diagnostic of <paramref name="analyzer"/>
    /// on <paramref name="source"/>, asserts that the result compiles and that the analyzer no longer reports it, and
    /// returns the fixed test source.
    /// </summary>
    public static async Task<string> ApplyFixAsync(string source, DiagnosticAnalyzer analyzer, CodeFixProvider fix)
    {
        using AdhocWorkspace workspace = new();
        Document document = CreateDocument(workspace, source);
        Compilation compilation = (await document.Project.GetCompilationAsync())!;
        Diagnostic diagnostic = Assert.Single(await AnalyzeAsync(compilation, analyzer));
        Assert.Contains(diagnostic.Id, fix.FixableDiagnosticIds);

        List<CodeAction> actions = [];
        CodeFixContext context = new(document, diagnostic, (action, _) => actions.Add(action), CancellationToken.None);
        await fix.RegisterCodeFixesAsync(context);
        CodeAction first = Assert.Single(actions);
        ImmutableArray<CodeActionOperation> operations = await first.GetOperationsAsync(CancellationToken.None);
        Solution changed = Assert.Single(operations.OfType<ApplyChangesOperation>()).ChangedSolution;
        Document fixedDocument = changed.GetDocument(document.Id)!;
        string fixedSource = (await fixedDocument.GetTextAsync()).ToString();

        Compilation fixedCompilation = (await fixedDocument.Project.GetCompilationAsync())!;
        Assert.DoesNotContain(await AnalyzeAsync(fixedCompilation, analyzer), remaining => remaining.Id == diagnostic.Id);
        return fixedSource;
    }

    /// <summary>Asserts that <paramref name="fix"/> offers nothing for the single diagnostic of <paramref name="analyzer"/>.</summary>
    public static async Task VerifyNoFixAsync(string source, DiagnosticAnalyzer analyzer, CodeFixProvider fix)
    {
        using AdhocWorkspace workspace = new();
        Document document = CreateDocument(workspace, source);
        Diagnostic diagnostic = Assert.Single(await AnalyzeAsync((await document.Project.GetCompilationAsync())!, analyzer));
        List<CodeAction> actions = [];
        await fix.RegisterCodeFixesAsync(new CodeFixContext(document, diagnostic, (action, _) => actions.Add(action), CancellationToken.None));
        Assert.Empty(actions.Select(action => action.Title));
    }

    private static Document CreateDocument(AdhocWorkspace workspace, string source)
    {
        Project project = workspace.AddProject(ProjectInfo.Create(
            ProjectId.CreateNewId(),
            VersionStamp.Default,
            "Toolkit.MainThread.Fixes",
            "Toolkit.MainThread.Fixes",
            LanguageNames.CSharp,
            compilationOptions: AnalyzerHelper.CompilationOptions,
            parseOptions: AnalyzerHelper.ParseOptions,
            metadataReferences: AnalyzerHelper.References));
        project = project.AddDocument("GlobalUsings.cs", SourceText.From(GlobalUsings)).Project;
        project = project.AddDocument("Contracts.cs", SourceText.From(Contracts)).Project;
        Document document = project.AddDocument("Test.cs", SourceText.From(AnalyzerHelper.Normalize(source)));
        Assert.True(workspace.TryApplyChanges(document.Project.Solution));
        return workspace.CurrentSolution.GetDocument(document.Id)!;
    }

    private static void AssertNoErrors(Compilation compilation) => Assert.Empty(compilation.GetDiagnostics()
        .Where(diagnostic => diagnostic.Severity == DiagnosticSeverity.Error)
        .Select(AnalyzerHelper.Describe));
}
