using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace Toolkit.Rpc.Generators.Model;

/// <summary>
/// A diagnostic kept equatable for the incremental pipeline: the location is stored as a file path and spans,
/// never as a <see cref="Location"/> that would root a syntax tree.
/// </summary>
internal sealed record DiagnosticInfo(DiagnosticDescriptor Descriptor, string? FilePath, TextSpan Span, LinePositionSpan LineSpan, EquatableArray<string> Arguments)
{
    public static DiagnosticInfo Create(DiagnosticDescriptor descriptor, Location? location, params string[] arguments)
    {
        Location? source = location is { IsInSource: true } ? location : null;
        return new DiagnosticInfo(
            descriptor,
            source?.SourceTree?.FilePath,
            source?.SourceSpan ?? default,
            source?.GetLineSpan().Span ?? default,
            arguments.ToEquatableArray());
    }

    public Diagnostic ToDiagnostic(Compilation compilation)
    {
        Location location = Location.None;
        if (FilePath is not null)
        {
            SyntaxTree? tree = compilation.SyntaxTrees.FirstOrDefault(candidate => candidate.FilePath == FilePath);
            location = tree is not null && Span.End <= tree.Length ? Location.Create(tree, Span) : Location.Create(FilePath, Span, LineSpan);
        }

        return Diagnostic.Create(Descriptor, location, Arguments.AsImmutableArray().Cast<object>().ToArray());
    }
}
