namespace MiniCluster.Tests.Infrastructure;

/// <summary>The process tests run one at a time: they time failovers on a shared 2-core machine.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ProcessCollection
{
    public const string Name = "processes";
}
