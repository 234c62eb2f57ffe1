namespace Toolkit.HighAvailability;

/// <summary>
/// A leader's write or confirmation was refused because its term no longer leads. Names the writer's term and the term
/// that leads now, when one does.
/// </summary>
public sealed class LeadershipLostException : Exception
{
    /// <summary>Creates the error for <paramref name="componentId"/>'s term <paramref name="writerEpoch"/>.</summary>
    public LeadershipLostException(string componentId, long writerEpoch, long? currentEpoch, string? detail = null)
        : base($"Component '{componentId}': term {writerEpoch} no longer leads; " +
               (currentEpoch is { } current ? $"term {current} leads now" : "no term leads now") +
               (detail is null ? "." : $" ({detail})."))
    {
        ComponentId = componentId;
        WriterEpoch = writerEpoch;
        CurrentEpoch = currentEpoch;
    }

    /// <summary>The component.</summary>
    public string ComponentId { get; }

    /// <summary>The term the refused write was made in.</summary>
    public long WriterEpoch { get; }

    /// <summary>The term that leads now, or null when none does.</summary>
    public long? CurrentEpoch { get; }
}
