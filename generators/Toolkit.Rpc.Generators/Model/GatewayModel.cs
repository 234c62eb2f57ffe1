namespace Toolkit.Rpc.Generators.Model;

/// <summary>A gateway interface, its methods and every type reachable from them.</summary>
internal sealed record GatewayModel
{
    /// <summary>How generated code names it: <c>global::</c>-qualified.</summary>
    public required string FullyQualifiedName { get; init; }

    /// <summary>As C# shows it; its hash is <see cref="Id"/>.</summary>
    public required string DisplayName { get; init; }

    public required string SimpleName { get; init; }

    /// <summary>A C# identifier unique to the gateway, for its generated class.</summary>
    public required string Identifier { get; init; }

    public required int Id { get; init; }

    /// <summary>The hash of <see cref="Contract"/>.</summary>
    public required string Fingerprint { get; init; }

    /// <summary>The contract as readable lines, one per method and per type (see ContractDescription).</summary>
    public required EquatableArray<string> Contract { get; init; }

    public required EquatableArray<MethodModel> Methods { get; init; }

    /// <summary>Every type reachable from the methods, by <see cref="TypeModel.FullyQualifiedName"/>.</summary>
    public required EquatableArray<TypeModel> Types { get; init; }
}
