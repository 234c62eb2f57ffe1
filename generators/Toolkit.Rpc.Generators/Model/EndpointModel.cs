namespace Toolkit.Rpc.Generators.Model;

/// <summary>An endpoint class and the gateways it implements.</summary>
internal sealed record EndpointModel
{
    public required string FullyQualifiedName { get; init; }

    public required EquatableArray<GatewayReference> Gateways { get; init; }
}
