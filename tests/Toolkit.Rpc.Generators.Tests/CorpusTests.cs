using System.Reflection;
using System.Runtime.Loader;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Emit;

namespace Toolkit.Rpc.Generators.Tests;

/// <summary>The corpus (every supported message and gateway shape) generates code that compiles clean and works.</summary>
public sealed class CorpusTests
{
    internal static Compilation CorpusCompilation() =>
        CompilationHelper.CreateCompilation(CompilationHelper.CorpusFileNames().Select(name => (name, CompilationHelper.Corpus(name))));

    [Fact]
    public void The_corpus_and_its_generated_code_compile_without_errors_or_warnings()
    {
        GeneratorRun run = CompilationHelper.RunClean(CorpusCompilation());

        Assert.Collection(
            run.Sources.Select(source => source.HintName).Order(StringComparer.Ordinal),
            hint => Assert.Equal("RpcModuleRegistration.g.cs", hint),
            hint => Assert.Equal("Serializers.g.cs", hint),
            hint => Assert.Matches(@"^Toolkit_Corpus_ICallbackGateway_[0-9a-f]{8}_Rpc\.g\.cs$", hint),
            hint => Assert.Matches(@"^Toolkit_Corpus_ICorpusGateway_[0-9a-f]{8}_Rpc\.g\.cs$", hint),
            hint => Assert.Matches(@"^Toolkit_Corpus_IHealthGateway_[0-9a-f]{8}_Rpc\.g\.cs$", hint));
    }

    [Theory]
    [InlineData("Task Target();")]
    [InlineData("Task<string> ToString();")]
    [InlineData("Task Proxy();")]
    [InlineData("Task<int> Descriptor();")]
    [InlineData("Task Equals(int other);")]
    [InlineData("Task GetHashCode(string text);")]
    [InlineData("void Tell(int value);")]
    [InlineData("Task AskAsync(int value, [RpcTimeout] TimeSpan timeout, CancellationToken cancellation);")]
    [InlineData("Task SendAsync(int Arg0, int arguments, int writer, int reader, int context, int endpoint);")]
    public void A_gateway_method_named_like_a_member_of_the_generated_code_compiles(string member)
    {
        GeneratorRun run = CompilationHelper.RunClean(CompilationHelper.CreateCompilation(InvalidContractTests.Gateway(member)));
        Assert.Contains(run.Sources, source => source.HintName.StartsWith("Toolkit_Samples_IFoo_", StringComparison.Ordinal));
    }

    [Fact]
    public void A_struct_holding_nullables_of_itself_generates_code_that_compiles()
    {
        GeneratorRun run = CompilationHelper.RunClean(CompilationHelper.CreateCompilation(InvalidContractTests.Gateway(
            "Task SendAsync(Node node);",
            "public struct Node\n{\n    public List<Node?> Children { get; set; }\n}\n")));
        Assert.Contains("Write_", run.Source("Serializers.g.cs"), StringComparison.Ordinal);
    }

    [Fact]
    public void Every_generated_serializer_round_trips_its_sample()
    {
        RunInCorpus(checks => checks.GetMethod("RoundTripMessages")!.Invoke(null, null));
    }

    [Fact]
    public async Task Every_gateway_method_works_through_a_service_that_serializes_local_calls()
    {
        Task? calls = null;
        RunInCorpus(checks => calls = (Task)checks.GetMethod("CallEveryMethodAsync")!.Invoke(null, null)!);
        await calls!;
    }

    // Loads the emitted corpus into its own collectible context, so each test gets fresh registrations; Toolkit.Rpc
    // itself resolves to the copy the tests already loaded.
    internal static void RunInCorpus(Action<Type> check)
    {
        GeneratorRun run = CompilationHelper.RunClean(CorpusCompilation());
        using MemoryStream image = new();
        EmitResult emitted = run.Output.Emit(image);
        Assert.True(emitted.Success, string.Join(Environment.NewLine, emitted.Diagnostics));
        image.Position = 0;

        AssemblyLoadContext context = new("corpus", isCollectible: true);
        try
        {
            Assembly corpus = context.LoadFromStream(image);
            try
            {
                check(corpus.GetType("Toolkit.Corpus.Checks", throwOnError: true)!);
            }
            catch (TargetInvocationException exception) when (exception.InnerException is not null)
            {
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(exception.InnerException);
            }
        }
        finally
        {
            context.Unload();
        }
    }
}
