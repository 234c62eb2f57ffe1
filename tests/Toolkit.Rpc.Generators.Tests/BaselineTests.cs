namespace Toolkit.Rpc.Generators.Tests;

/// <summary>
/// Compares every generated file with its checked-in baseline, <c>Baselines/&lt;Test&gt;/&lt;HintName&gt;.txt</c>.
/// After an intended change to the generated code, run the tests once with the environment variable
/// <c>TOOLKIT_UPDATE_BASELINES=1</c>: they rewrite the baselines (and delete those no longer generated) instead
/// of comparing, and the diff is reviewed with the change.
/// </summary>
public sealed class BaselineTests
{
    private const string SingleGatewaySource = """
        using System.Threading.Tasks;
        using Toolkit.Rpc;

        namespace Toolkit.Samples;

        [RpcGateway]
        public interface IGreeterGateway
        {
            Task<Greeting> GreetAsync(Person person);

            void Forget(string name);
        }

        public sealed record Person(string Name, int Age);

        public sealed record Greeting(string Text, Person To);

        public sealed class Greeter : RpcEndpoint, IGreeterGateway
        {
            public Task<Greeting> GreetAsync(Person person) => Task.FromResult(new Greeting("Hello " + person.Name, person));

            public void Forget(string name)
            {
            }
        }
        """;

    [Fact]
    public void A_single_gateway_generates_its_baseline() =>
        AssertBaselines(nameof(A_single_gateway_generates_its_baseline), CompilationHelper.RunClean(CompilationHelper.CreateCompilation(SingleGatewaySource)));

    [Fact]
    public void The_corpus_generates_its_baseline() =>
        AssertBaselines(nameof(The_corpus_generates_its_baseline), CompilationHelper.RunClean(CorpusTests.CorpusCompilation()));

    private static void AssertBaselines(string test, GeneratorRun run)
    {
        string directory = Path.Combine(ProjectDirectory(), "Baselines", test);
        Dictionary<string, string> generated = run.Sources.ToDictionary(
            source => source.HintName + ".txt",
            source => CompilationHelper.Normalize(source.SourceText.ToString()),
            StringComparer.Ordinal);

        // Set TOOLKIT_UPDATE_BASELINES=1 to rewrite the baselines from what the generator produces now.
        if (Environment.GetEnvironmentVariable("TOOLKIT_UPDATE_BASELINES") == "1")
        {
            Directory.CreateDirectory(directory);
            foreach (string stale in Directory.GetFiles(directory).Where(path => !generated.ContainsKey(Path.GetFileName(path))))
            {
                File.Delete(stale);
            }

            foreach ((string fileName, string text) in generated)
            {
                File.WriteAllText(Path.Combine(directory, fileName), text);
            }

            return;
        }

        Assert.True(Directory.Exists(directory), $"No baselines in {directory}; run the tests with TOOLKIT_UPDATE_BASELINES=1 to create them.");
        Assert.Equal(
            generated.Keys.Order(StringComparer.Ordinal),
            Directory.GetFiles(directory).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        foreach ((string fileName, string text) in generated)
        {
            Assert.Equal(CompilationHelper.Normalize(File.ReadAllText(Path.Combine(directory, fileName))), text);
        }
    }

    // Found from the test's output folder, not from [CallerFilePath]: deterministic CI builds map source paths to /_/.
    private static string ProjectDirectory()
    {
        for (DirectoryInfo? directory = new(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Toolkit.sln")))
            {
                return Path.Combine(directory.FullName, "tests", "Toolkit.Rpc.Generators.Tests");
            }
        }

        throw new InvalidOperationException($"No Toolkit.sln above {AppContext.BaseDirectory}.");
    }
}
