using Microsoft.CodeAnalysis;

namespace Toolkit.Rpc.Generators;

/// <summary>A broken contract rule found by <see cref="Parsing.ContractWalker"/>: where, and the message arguments of its diagnostic.</summary>
internal sealed class ContractProblem
{
    public ContractProblem(ContractRule rule, Location? location, string[] arguments)
    {
        Rule = rule;
        Location = location;
        Arguments = arguments;
    }

    public ContractRule Rule { get; }

    public Location? Location { get; }

    public string[] Arguments { get; }
}
