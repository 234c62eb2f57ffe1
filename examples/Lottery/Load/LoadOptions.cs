namespace Lottery.Load;

/// <param name="Users">Simulated users (phones).</param>
/// <param name="StaggerGroups">Users start in this many groups (错峰), spread over <paramref name="StaggerMs"/>.</param>
/// <param name="MinIntervalMs">A user submits its counted shakes every 1–3 s (缓存和延时).</param>
/// <param name="BatchSize">Submissions the client side carries per call to the access layer.</param>
/// <param name="MaxInFlightBatches">Calls awaiting a reply at once; beyond it, due users wait (and that wait counts as latency).</param>
/// <param name="MinShakesPerSecond">How fast a user shakes, drawn per user between this bound and <paramref name="MaxShakesPerSecond"/>.</param>
public sealed record LoadOptions(
    int Users = 480_000,
    int StaggerGroups = 8,
    int StaggerMs = 4_000,
    int MinIntervalMs = 1_000,
    int MaxIntervalMs = 3_000,
    int BatchSize = 2_048,
    int MaxInFlightBatches = 24,
    double MinShakesPerSecond = 2,
    double MaxShakesPerSecond = 6,
    int Seed = 42);
