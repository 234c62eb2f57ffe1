namespace Toolkit.Rpc.Generators.Model;

/// <summary>A gateway method.</summary>
internal sealed record MethodModel
{
    public required string Name { get; init; }

    /// <summary>The key of the interface that declares it: the gateway or one it extends.</summary>
    public required string DeclaringInterface { get; init; }

    /// <summary>The stable hash of its name and argument types that calls carry.</summary>
    public required int Id { get; init; }

    /// <summary>A C# identifier unique to the method: its name and id.</summary>
    public required string Identifier { get; init; }

    public required ReturnKind ReturnKind { get; init; }

    /// <summary>The key of the type it is declared to return.</summary>
    public required string ReturnType { get; init; }

    /// <summary>The key of the <c>T</c> of <c>Task&lt;T&gt;</c>, <c>ValueTask&lt;T&gt;</c> or <c>IAsyncEnumerable&lt;T&gt;</c> (the item); null when it has no result.</summary>
    public string? ResultType { get; init; }

    /// <summary>Its <c>[RpcTimeout]</c>, or null for the caller's default.</summary>
    public int? TimeoutMilliseconds { get; init; }

    public required EquatableArray<ParameterModel> Parameters { get; init; }

    /// <summary>The keys of the exception types it declares with <c>[RpcFault]</c>.</summary>
    public EquatableArray<string> Faults { get; init; }

    /// <summary>Whether calls carry the leader epoch: its gateway (or the interface declaring it) is [RpcFenced] and it is not [RpcUnfenced].</summary>
    public bool IsFenced { get; init; }
}
