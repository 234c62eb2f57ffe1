namespace Toolkit.Rpc.Generators.Model;

/// <summary>A gateway an endpoint implements.</summary>
internal sealed record GatewayReference
{
    public required string FullyQualifiedName { get; init; }

    /// <summary>The identifier of its generated class (see <see cref="GatewayModel.Identifier"/>).</summary>
    public required string Identifier { get; init; }

    /// <summary>Declared in the compilation being generated, so its generated class is there too.</summary>
    public required bool IsLocal { get; init; }
}
