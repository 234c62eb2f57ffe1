namespace Toolkit.Rpc.Generators.Model;

/// <summary>A gateway interface, its methods and every type reachable from them.</summary>
/// <param name="Fingerprint">The hash of <paramref name="Contract"/>.</param>
/// <param name="Contract">The contract as readable lines, one per method and per type (see <see cref="ContractDescription"/>).</param>
internal sealed record GatewayModel(
    string FullyQualifiedName,
    string DisplayName,
    string SimpleName,
    string Identifier,
    int Id,
    string Fingerprint,
    EquatableArray<string> Contract,
    EquatableArray<MethodModel> Methods,
    EquatableArray<TypeModel> Types);

/// <summary>How a gateway method returns.</summary>
internal enum ReturnKind
{
    Void,
    Task,
    TaskOfT,
    ValueTask,
    ValueTaskOfT,
}

/// <summary>What a parameter is to the runtime.</summary>
internal enum ParameterRole
{
    Argument,
    Timeout,
    Cancellation,
}

/// <summary>A gateway method; <see cref="Faults"/> are the keys of the exception types it declares with <c>[RpcFault]</c>.</summary>
internal sealed record MethodModel(
    string Name,
    string DeclaringInterface,
    int Id,
    ReturnKind ReturnKind,
    string ReturnType,
    string? ResultType,
    int? TimeoutMilliseconds,
    EquatableArray<ParameterModel> Parameters,
    EquatableArray<string> Faults = default)
{
    public string Identifier => $"{Name}_{unchecked((uint)Id):X8}";
}

/// <summary>A gateway method's parameter.</summary>
internal sealed record ParameterModel(string Name, string Type, ParameterRole Role);
