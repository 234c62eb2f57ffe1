namespace Toolkit.Rpc.Generators.Model;

/// <summary>The outcome of parsing one gateway: its model (null when it cannot be generated) and its diagnostics.</summary>
internal sealed record ParseResult(GatewayModel? Gateway, EquatableArray<DiagnosticInfo> Diagnostics);
