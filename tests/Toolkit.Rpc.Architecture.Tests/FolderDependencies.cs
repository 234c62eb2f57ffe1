using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Toolkit.Rpc.Architecture.Tests;

/// <summary>Which folder's code refers to which other folder's types, members and extension methods, with an example each.</summary>
internal static class FolderDependencies
{
    public static Dictionary<(string From, string To), string> Of(SourceTree tree)
    {
        Dictionary<(string, string), string> edges = [];
        foreach (SyntaxTree syntax in tree.Compilation.SyntaxTrees.Where(syntax => syntax.FilePath.StartsWith(tree.Root, StringComparison.Ordinal)))
        {
            string from = tree.Layer(syntax.FilePath);
            SemanticModel model = tree.Compilation.GetSemanticModel(syntax);
            foreach (SyntaxNode node in syntax.GetRoot().DescendantNodes().Where(node => node is SimpleNameSyntax))
            {
                ISymbol? symbol = model.GetSymbolInfo(node).Symbol;
                if (symbol is null || symbol is INamespaceSymbol)
                {
                    continue;
                }

                ISymbol declared = symbol is IMethodSymbol { ReducedFrom: { } extension } ? extension : symbol.OriginalDefinition;
                if (Home(declared, tree) is { } location)
                {
                    string to = tree.Layer(location.SourceTree!.FilePath);
                    if (to != from)
                    {
                        edges.TryAdd((from, to), $"{Path.GetFileName(syntax.FilePath)}:{node.GetLocation().GetLineSpan().StartLinePosition.Line + 1} uses {declared.ToDisplayString()}");
                    }
                }
            }
        }

        return edges;
    }

    // Where a symbol is declared in the tree: a partial type's home is the file named after it (its other parts add
    // members for higher layers, which those layers' own code uses); null for what the tree does not declare.
    private static Location? Home(ISymbol symbol, SourceTree tree)
    {
        Location[] locations = [.. symbol.Locations.Where(location => location.IsInSource && location.SourceTree!.FilePath.StartsWith(tree.Root, StringComparison.Ordinal))];
        return locations.FirstOrDefault(location => symbol is INamedTypeSymbol && Path.GetFileNameWithoutExtension(location.SourceTree!.FilePath) == symbol.Name)
            ?? locations.FirstOrDefault();
    }
}
