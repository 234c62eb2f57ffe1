namespace Toolkit.Rpc.Architecture.Tests;

/// <summary>
/// The runtime's top-level folders are its layers, each using only those below it:
/// Errors and Attributes ← Serialization ← Options ← Gateways ← Diagnostics (metrics and spans) ← Endpoints (with its
/// calls and mailbox) ← Transport ← Service. No folder reaches up, so no two folders use each other. Subfolders organize a layer inside.
/// </summary>
public sealed class LayerTests
{
    private static readonly string[] Layers = ["Attributes", "Errors", "Serialization", "Options", "Gateways", "Diagnostics", "Endpoints", "Transport", "Service"];

    private static readonly Lazy<Dictionary<(string From, string To), string>> Edges = new(() => FolderDependencies.Of(SourceTree.Load("src/Toolkit.Rpc")));

    [Fact]
    public void Every_folder_of_the_runtime_is_a_known_layer()
    {
        string[] folders = [.. Directory.EnumerateDirectories(Path.Combine(SourceTree.RepositoryRoot, "src", "Toolkit.Rpc"))
            .Select(Path.GetFileName)
            .Where(name => name is not ("bin" or "obj" or "Properties"))
            .Cast<string>()
            .Order(StringComparer.Ordinal)];

        Assert.Equal(Layers.Order(StringComparer.Ordinal), folders);
        Assert.DoesNotContain(SourceTree.Files("src/Toolkit.Rpc"), path => Path.GetDirectoryName(path) == Path.Combine(SourceTree.RepositoryRoot, "src", "Toolkit.Rpc"));
    }

    [Fact]
    public void No_folder_uses_a_folder_above_it()
    {
        string[] upward = [.. Edges.Value
            .Where(edge => Array.IndexOf(Layers, edge.Key.To) > Array.IndexOf(Layers, edge.Key.From))
            .Select(edge => $"{edge.Key.From} -> {edge.Key.To}: {edge.Value}")
            .Order(StringComparer.Ordinal)];

        Assert.True(upward.Length == 0, "Lower layers reach up:\n" + string.Join("\n", upward));
    }

    [Fact]
    public void The_layers_are_used_as_drawn()
    {
        // Not a rule but a check that the walk sees the edges it should: a layer that uses nothing would be suspicious.
        Assert.Contains(("Transport", "Endpoints"), Edges.Value.Keys);
        Assert.Contains(("Service", "Transport"), Edges.Value.Keys);
        Assert.Contains(("Gateways", "Serialization"), Edges.Value.Keys);
    }
}
