namespace Toolkit.Heartbeat;

/// <summary>
/// The phi-accrual failure detector (Hayashibara et al.), with the defaults of Pekko's cluster failure detector. It
/// learns the distribution of a target's heartbeat inter-arrival times and says how suspicious the current silence
/// is: phi = 1 means about a 10% chance that the target is still alive and merely late, 2 about 1%, 3 about 0.1%.
/// </summary>
public sealed class PhiAccrualOptions
{
    /// <summary>The suspicion level at which a target is timed out; 8 by default.</summary>
    public double Threshold { get; set; } = 8.0;

    /// <summary>The least standard deviation assumed, so that very regular heartbeats do not make phi jumpy; 100 ms by default.</summary>
    public TimeSpan MinStdDeviation { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>A pause beyond the usual inter-arrival time that raises no suspicion (a GC, a network hiccup); 3 s by default.</summary>
    public TimeSpan AcceptableHeartbeatPause { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>How many inter-arrival times each target's history keeps; 1000 by default.</summary>
    public int MaxSampleSize { get; set; } = 1000;

    /// <summary>The inter-arrival time assumed before a target's first two heartbeats; the heartbeat interval when not set.</summary>
    public TimeSpan? FirstHeartbeatEstimate { get; set; }

    internal void Validate()
    {
        if (double.IsNaN(Threshold) || Threshold <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(Threshold), Threshold, "The phi threshold must be positive.");
        }

        if (MinStdDeviation <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(MinStdDeviation), MinStdDeviation, "The minimum standard deviation must be positive.");
        }

        if (AcceptableHeartbeatPause < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(AcceptableHeartbeatPause), AcceptableHeartbeatPause, "The acceptable heartbeat pause cannot be negative.");
        }

        if (MaxSampleSize < 2)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxSampleSize), MaxSampleSize, "The phi-accrual history needs room for at least 2 samples.");
        }

        if (FirstHeartbeatEstimate is { } estimate && estimate <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(FirstHeartbeatEstimate), estimate, "The first heartbeat estimate must be positive.");
        }
    }

    internal PhiAccrualOptions Clone() => new()
    {
        Threshold = Threshold,
        MinStdDeviation = MinStdDeviation,
        AcceptableHeartbeatPause = AcceptableHeartbeatPause,
        MaxSampleSize = MaxSampleSize,
        FirstHeartbeatEstimate = FirstHeartbeatEstimate,
    };
}
