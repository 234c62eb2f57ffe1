using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Toolkit.Rpc.Generators.Tests;

/// <summary>Edits that change no model leave every tracked step and output cached; edits to a message do not.</summary>
public sealed class IncrementalTests
{
    public static TheoryData<string> UnrelatedEdits => ["new class", "new endpoint-like class", "comment"];

    internal static string[] TrackingNames() => typeof(RpcGenerator.TrackingNames)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Where(field => field.IsLiteral)
        .Select(field => (string)field.GetRawConstantValue()!)
        .ToArray();

    [Theory]
    [MemberData(nameof(UnrelatedEdits))]
    public void An_unrelated_edit_leaves_every_step_and_output_cached(string edit)
    {
        Compilation compilation = CorpusTests.CorpusCompilation();
        GeneratorRun first = CompilationHelper.RunClean(compilation);

        Compilation edited = edit switch
        {
            "new class" => compilation.AddSyntaxTrees(Parse("namespace Toolkit.Corpus;\n\ninternal sealed class Unrelated\n{\n    public int Value { get; set; }\n}\n")),
            "new endpoint-like class" => compilation.AddSyntaxTrees(Parse("namespace Toolkit.Corpus;\n\ninternal sealed class Disposer : System.IDisposable\n{\n    public void Dispose()\n    {\n    }\n}\n")),
            _ => AppendComment(compilation, "Endpoints.cs"),
        };
        GeneratorRun second = CompilationHelper.Run(edited, first.Driver);
        CompilationHelper.AssertClean(second);

        GeneratorRunResult result = second.Generator;
        foreach (string name in TrackingNames())
        {
            Assert.True(result.TrackedSteps.TryGetValue(name, out var steps), $"step {name} was not tracked");
            Assert.All(
                steps.SelectMany(step => step.Outputs),
                output => Assert.True(output.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, $"step {name} output was {output.Reason}"));
        }

        Assert.NotEmpty(result.TrackedOutputSteps);
        Assert.All(
            result.TrackedOutputSteps.SelectMany(pair => pair.Value).SelectMany(step => step.Outputs),
            output => Assert.True(output.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, $"an output was {output.Reason}"));
        Assert.Equal(Texts(first), Texts(second));
    }

    [Fact]
    public void A_change_to_a_message_regenerates_what_reaches_it_and_only_that()
    {
        Compilation compilation = CorpusTests.CorpusCompilation();
        GeneratorRun first = CompilationHelper.RunClean(compilation);
        SyntaxTree messages = compilation.SyntaxTrees.Single(tree => tree.FilePath == "Messages.cs");
        string changed = messages.ToString().Replace("public sealed record Point(int X, int Y);", "public sealed record Point(int X, int Y, int Z = 0);", StringComparison.Ordinal);
        Assert.NotEqual(messages.ToString(), changed);

        GeneratorRun second = CompilationHelper.Run(compilation.ReplaceSyntaxTree(messages, Parse(changed, "Messages.cs")), first.Driver);
        CompilationHelper.AssertClean(second);

        Assert.Contains(
            second.Generator.TrackedSteps[RpcGenerator.TrackingNames.GatewayModels].SelectMany(step => step.Outputs),
            output => output.Reason == IncrementalStepRunReason.Modified && output.Value is GatewayModel { SimpleName: "ICorpusGateway" });
        Assert.Contains(
            second.Generator.TrackedSteps[RpcGenerator.TrackingNames.GatewayModels].SelectMany(step => step.Outputs),
            output => output.Reason is IncrementalStepRunReason.Unchanged or IncrementalStepRunReason.Cached && output.Value is GatewayModel { SimpleName: "IHealthGateway" });
        Assert.Contains(
            second.Generator.TrackedOutputSteps.SelectMany(pair => pair.Value).SelectMany(step => step.Outputs),
            output => output.Reason == IncrementalStepRunReason.Modified);

        Dictionary<string, string> before = Texts(first);
        Dictionary<string, string> after = Texts(second);
        Assert.Equal(before.Keys.Order(StringComparer.Ordinal), after.Keys.Order(StringComparer.Ordinal));
        string corpusGateway = before.Keys.Single(hint => hint.StartsWith("Toolkit_Corpus_ICorpusGateway_", StringComparison.Ordinal));
        string healthGateway = before.Keys.Single(hint => hint.StartsWith("Toolkit_Corpus_IHealthGateway_", StringComparison.Ordinal));
        Assert.NotEqual(before["Serializers.g.cs"], after["Serializers.g.cs"]);
        Assert.Contains("writer.WriteUnmanaged((byte)3, value.X, value.Y, value.Z);", after["Serializers.g.cs"], StringComparison.Ordinal);
        Assert.NotEqual(before[corpusGateway], after[corpusGateway]);
        Assert.Equal(before[healthGateway], after[healthGateway]);
    }

    private static SyntaxTree Parse(string text, string path = "Unrelated.cs") => CSharpSyntaxTree.ParseText(text, CompilationHelper.ParseOptions, path);

    private static Compilation AppendComment(Compilation compilation, string path)
    {
        SyntaxTree tree = compilation.SyntaxTrees.Single(tree => tree.FilePath == path);
        return compilation.ReplaceSyntaxTree(tree, Parse(tree + "\n// An edit that changes nothing the generator reads.\n", path));
    }

    private static Dictionary<string, string> Texts(GeneratorRun run) =>
        run.Sources.ToDictionary(source => source.HintName, source => source.SourceText.ToString(), StringComparer.Ordinal);
}
