using System.Collections.Generic;
using Toolkit.Rpc.Generators.Model;

namespace Toolkit.Rpc.Generators.Parsing;

/// <summary>
/// What walking a gateway found: the models of its methods and of every type it reaches, and each contract rule it
/// breaks. Complete only when <see cref="Problems"/> is empty; the generator then builds its model, the analyzers
/// report the problems.
/// </summary>
internal sealed class GatewayContract
{
    public GatewayContract(IReadOnlyList<MethodModel> methods, IReadOnlyList<TypeModel> types, IReadOnlyList<ContractProblem> problems)
    {
        Methods = methods;
        Types = types;
        Problems = problems;
    }

    /// <summary>The methods in declaration order, the gateway's own before those it inherits.</summary>
    public IReadOnlyList<MethodModel> Methods { get; }

    /// <summary>Every type reachable from the methods, in the order they were first reached.</summary>
    public IReadOnlyList<TypeModel> Types { get; }

    /// <summary>The broken contract rules, in the order they were found.</summary>
    public IReadOnlyList<ContractProblem> Problems { get; }
}
