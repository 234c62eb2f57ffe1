using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Toolkit.Rpc.Architecture.Tests;

/// <summary>A project's hand-written sources, compiled with Roslyn so that each reference can be traced to the file that declares it.</summary>
internal sealed class SourceTree
{
    private SourceTree(string root, CSharpCompilation compilation)
    {
        Root = root;
        Compilation = compilation;
    }

    public string Root { get; }

    public CSharpCompilation Compilation { get; }

    /// <summary>The repository's root: the first folder above the test's output that holds Toolkit.sln.</summary>
    public static string RepositoryRoot
    {
        get
        {
            for (DirectoryInfo? folder = new(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
            {
                if (File.Exists(Path.Combine(folder.FullName, "Toolkit.sln")))
                {
                    return folder.FullName;
                }
            }

            throw new InvalidOperationException($"No Toolkit.sln above {AppContext.BaseDirectory}.");
        }
    }

    /// <summary>Every .cs file under <paramref name="relativeFolder"/> of the repository but bin/ and obj/.</summary>
    public static IEnumerable<string> Files(string relativeFolder) =>
        Directory.EnumerateFiles(Path.Combine(RepositoryRoot, relativeFolder), "*.cs", SearchOption.AllDirectories)
            .Where(path => !path.Split(Path.DirectorySeparatorChar).Any(part => part is "bin" or "obj"))
            .Order(StringComparer.Ordinal);

    public static SourceTree Load(string relativeFolder)
    {
        string root = Path.Combine(RepositoryRoot, relativeFolder);
        CSharpParseOptions options = new(LanguageVersion.Latest);
        List<SyntaxTree> trees = [.. Files(relativeFolder).Select(path => CSharpSyntaxTree.ParseText(File.ReadAllText(path), options, path))];
        ImmutableArray<MetadataReference> references =
        [
            .. ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator).Select(path => MetadataReference.CreateFromFile(path)),
            MetadataReference.CreateFromFile(typeof(Microsoft.Extensions.Logging.ILogger).Assembly.Location),
        ];
        CSharpCompilation compilation = CSharpCompilation.Create(
            "Architecture",
            trees.Append(CSharpSyntaxTree.ParseText(ImplicitUsings, options, "ImplicitUsings.cs")),
            references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable, allowUnsafe: true));
        return new SourceTree(root, compilation);
    }

    /// <summary>The top-level folder of <paramref name="path"/> below the root — its layer; "" for a file at the root.</summary>
    public string Layer(string path)
    {
        string relative = Path.GetRelativePath(Root, Path.GetDirectoryName(path)!);
        return relative == "." ? "" : relative.Split(Path.DirectorySeparatorChar)[0];
    }

    // The SDK's implicit usings for a library (ImplicitUsings=enable).
    private const string ImplicitUsings = """
        global using global::System;
        global using global::System.Collections.Generic;
        global using global::System.IO;
        global using global::System.Linq;
        global using global::System.Net.Http;
        global using global::System.Threading;
        global using global::System.Threading.Tasks;
        """;
}
