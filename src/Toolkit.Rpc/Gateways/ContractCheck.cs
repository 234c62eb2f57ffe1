namespace Toolkit.Rpc.Gateways;

/// <summary>The outcome of comparing two processes' contracts for one gateway.</summary>
/// <param name="IsCompatible">Whether calls on the gateway can be decoded both ways.</param>
/// <param name="Problem">When incompatible: what differs, naming the type or method, the member and which side has which version.</param>
/// <param name="Differences">When compatible: the tolerated differences (members appended, methods, union cases or enum members added).</param>
internal sealed record ContractCheck(bool IsCompatible, string? Problem, IReadOnlyList<string> Differences)
{
    public static ContractCheck Identical { get; } = new(true, null, []);
}
