using System.Globalization;

namespace Toolkit.Rpc.Analyzers.Tests;

/// <summary>
/// The Toolkit.Rpc package carries the generator and the analyzers: packed into a local folder and referenced from
/// there by a small consumer, it reports a broken contract in the consumer's own build, and generates the code of the
/// fixed one.
/// </summary>
public sealed class PackageTests : IDisposable
{
#if DEBUG
    private const string Configuration = "Debug";
#else
    private const string Configuration = "Release";
#endif

    private static readonly TimeSpan StepTimeout = TimeSpan.FromSeconds(50);

    private readonly string _root = Path.Combine(Path.GetTempPath(), "toolkit-package-" + Guid.NewGuid().ToString("N")[..12]);

    // A version no cache can hold already, so the consumer is sure to get the package packed here.
    private readonly string _version = "0.1.0-local." + DateTime.UtcNow.ToString("yyyyMMddHHmmssfff", CultureInfo.InvariantCulture);

    /// <summary>
    /// A broken contract (a gateway method returning <c>int</c>) and an endpoint method that blocks on <c>.Result</c>:
    /// the package's contract rules report the first as an error, its main-thread rules the second as a warning.
    /// </summary>
    private const string BrokenConsumer = """
        using Toolkit.Rpc;

        namespace Consumer;

        [RpcGateway]
        public interface ICounterGateway
        {
            Task<int> AddAsync(int amount);

            int Peek();
        }

        public sealed class Counter : RpcEndpoint, ICounterGateway
        {
            private int _total;

            public Task<int> AddAsync(int amount)
            {
                _total += Task.Run(() => amount).Result;
                return Task.FromResult(_total);
            }

            public int Peek() => _total;
        }
        """;

    private const string FixedConsumer = """
        using Toolkit.Rpc;

        namespace Consumer;

        [RpcGateway]
        public interface ICounterGateway
        {
            Task<int> AddAsync(int amount);

            Task<int> PeekAsync();
        }

        public sealed class Counter : RpcEndpoint, ICounterGateway
        {
            private int _total;

            public async Task<int> AddAsync(int amount)
            {
                _total += await Task.Run(() => amount);
                return _total;
            }

            public Task<int> PeekAsync() => Task.FromResult(_total);
        }
        """;

    [DotnetFact]
    public async Task A_consumer_of_the_packed_package_gets_the_contract_and_main_thread_diagnostics_and_the_generated_code()
    {
        string feed = Directory.CreateDirectory(Path.Combine(_root, "feed")).FullName;
        string consumer = Directory.CreateDirectory(Path.Combine(_root, "consumer")).FullName;

        // The projects are built already (this test project references them all), so packing only gathers them.
        (int packed, string packOutput) = await Dotnet.RunAsync(
            Repository.Root, StepTimeout, "pack", Repository.Path("src", "Toolkit.Rpc", "Toolkit.Rpc.csproj"),
            "--no-build", "--no-restore", "-c", Configuration, "-o", feed, $"-p:PackageVersion={_version}", "-nologo");
        Assert.True(packed == 0, packOutput);
        Assert.True(File.Exists(Path.Combine(feed, $"Toolkit.Rpc.{_version}.nupkg")), packOutput);

        WriteConsumer(consumer, feed, BrokenConsumer);
        (int broken, string brokenOutput) = await BuildAsync(consumer);
        Assert.NotEqual(0, broken);
        Assert.Contains("Counter.cs(10,5): error TK0001: Gateway method 'ICounterGateway.Peek' returns 'int'", brokenOutput, StringComparison.Ordinal);
        Assert.Contains("Counter.cs(19,42): warning TK1001: 'Task<int>.Result' blocks the main thread of endpoint 'Counter'", brokenOutput, StringComparison.Ordinal);

        File.WriteAllText(Path.Combine(consumer, "Counter.cs"), FixedConsumer);
        (int fixedBuild, string fixedOutput) = await BuildAsync(consumer);
        Assert.True(fixedBuild == 0, fixedOutput);
        Assert.DoesNotContain(" TK", fixedOutput, StringComparison.Ordinal);
        string generated = Path.Combine(consumer, "obj", "generated");
        Assert.Contains(
            Directory.EnumerateFiles(generated, "*.g.cs", SearchOption.AllDirectories),
            path => Path.GetFileName(path).StartsWith("Consumer_ICounterGateway_", StringComparison.Ordinal));
    }

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    private static Task<(int ExitCode, string Output)> BuildAsync(string consumer) =>
        Dotnet.RunAsync(consumer, StepTimeout, "build", "-nologo", "-v", "minimal");

    /// <summary>
    /// A project outside the repository: its nuget.config adds the local feed to the machine's own sources (it does
    /// not clear them), and it restores into its own folder, falling back to the machine's package cache, so the
    /// freshly packed package is the one it gets and nothing it restores outlives the test.
    /// </summary>
    private void WriteConsumer(string consumer, string feed, string source)
    {
        File.WriteAllText(Path.Combine(consumer, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <add key="toolkit-local" value="{feed}" />
              </packageSources>
            </configuration>
            """);

        // Stop MSBuild from importing any Directory.Build.* or central package versions from the folders above.
        File.WriteAllText(Path.Combine(consumer, "Directory.Build.props"), "<Project />");
        File.WriteAllText(Path.Combine(consumer, "Directory.Build.targets"), "<Project />");
        File.WriteAllText(Path.Combine(consumer, "Directory.Packages.props"), "<Project />");

        string machineCache = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        File.WriteAllText(Path.Combine(consumer, "Consumer.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
                <EmitCompilerGeneratedFiles>true</EmitCompilerGeneratedFiles>
                <CompilerGeneratedFilesOutputPath>obj/generated</CompilerGeneratedFilesOutputPath>
                <RestorePackagesPath>{Path.Combine(_root, "packages")}</RestorePackagesPath>
                <RestoreAdditionalProjectFallbackFolders>{machineCache}</RestoreAdditionalProjectFallbackFolders>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="Toolkit.Rpc" Version="{_version}" />
              </ItemGroup>
            </Project>
            """);
        File.WriteAllText(Path.Combine(consumer, "Counter.cs"), source);
    }
}
