namespace MiniCluster.Executor;

/// <summary>A task executor's identity and size.</summary>
public sealed class TaskExecutorOptions
{
    /// <summary>The executor's resource id, stable across its re-registrations.</summary>
    public string ExecutorId { get; set; } = "executor-" + Guid.NewGuid().ToString("N")[..8];

    /// <summary>How many tasks it runs at once.</summary>
    public int Slots { get; set; } = 2;

    /// <summary>Where its blob cache keeps downloaded inputs; under the temporary directory by default.</summary>
    public string? CacheDirectory { get; set; }
}
