namespace Toolkit.Rpc.Tests.Infrastructure;

/// <summary>
/// Tests that measure how the machine schedules threads, or load its cores on purpose: they run after all others, one
/// at a time, so that neither disturbs the rest.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class Alone
{
    public const string Name = "alone";
}
