using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Toolkit.Rpc.Architecture.Tests;

/// <summary>Small files that each do one thing: no hand-written source file over 400 lines, no class (all its parts) over 500.</summary>
public sealed class SizeTests
{
    private const int MaxFileLines = 400;
    private const int MaxTypeLines = 500;

    /// <summary>Every project under src/ and generators/.</summary>
    public static TheoryData<string> Projects() => [.. new[] { "src", "generators" }
        .SelectMany(folder => Directory.EnumerateDirectories(Path.Combine(SourceTree.RepositoryRoot, folder)))
        .Where(directory => Directory.EnumerateFiles(directory, "*.csproj").Any())
        .Select(directory => Path.GetRelativePath(SourceTree.RepositoryRoot, directory).Replace('\\', '/'))
        .Order(StringComparer.Ordinal)];

    [Theory]
    [MemberData(nameof(Projects))]
    public void No_source_file_is_over_400_lines(string project)
    {
        string[] large = [.. SourceTree.Files(project)
            .Select(path => (Path: Path.GetRelativePath(SourceTree.RepositoryRoot, path), Lines: File.ReadAllLines(path).Length))
            .Where(file => file.Lines > MaxFileLines)
            .Select(file => $"{file.Path}: {file.Lines} lines")];

        Assert.True(large.Length == 0, string.Join("\n", large));
    }

    [Theory]
    [MemberData(nameof(Projects))]
    public void No_type_is_over_500_lines_across_its_parts(string project)
    {
        Dictionary<string, int> lines = new(StringComparer.Ordinal);
        foreach (string path in SourceTree.Files(project))
        {
            SyntaxNode root = CSharpSyntaxTree.ParseText(File.ReadAllText(path)).GetRoot();
            foreach (TypeDeclarationSyntax type in root.DescendantNodes().OfType<TypeDeclarationSyntax>().Where(type => type.Parent is not TypeDeclarationSyntax))
            {
                FileLinePositionSpan span = type.GetLocation().GetLineSpan();
                string name = type.Identifier.Text + (type.TypeParameterList is { } parameters ? $"`{parameters.Parameters.Count}" : "");
                lines[name] = lines.GetValueOrDefault(name) + span.EndLinePosition.Line - span.StartLinePosition.Line + 1;
            }
        }

        string[] large = [.. lines.Where(type => type.Value > MaxTypeLines).Select(type => $"{type.Key}: {type.Value} lines")];
        Assert.True(large.Length == 0, string.Join("\n", large));
    }
}
