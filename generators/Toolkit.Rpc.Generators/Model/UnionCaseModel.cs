namespace Toolkit.Rpc.Generators.Model;

/// <summary>A union case.</summary>
internal sealed record UnionCaseModel
{
    public required int Tag { get; init; }

    /// <summary>The key of the case's type.</summary>
    public required string Type { get; init; }

    /// <summary>How many base types the case has: deeper cases are matched first, before a case they derive from.</summary>
    public required int Depth { get; init; }
}
