namespace Toolkit.Rpc.Generators.Model;

/// <summary>A gateway method's parameter.</summary>
internal sealed record ParameterModel
{
    /// <summary>As generated code uses it: <c>@</c> before a keyword.</summary>
    public required string Name { get; init; }

    /// <summary>The key of its type.</summary>
    public required string Type { get; init; }

    public required ParameterRole Role { get; init; }
}
