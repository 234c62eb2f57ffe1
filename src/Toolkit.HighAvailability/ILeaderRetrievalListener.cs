namespace Toolkit.HighAvailability;

/// <summary>
/// Hears who leads a component (Flink's <c>LeaderRetrievalListener</c>): every change, in order, one call at a time.
/// </summary>
public interface ILeaderRetrievalListener
{
    /// <summary>The component's leader is now <paramref name="leader"/>, or it has none that confirmed an address (null).</summary>
    void NotifyLeaderAddress(LeaderInformation? leader);

    /// <summary>Retrieval failed in a way it cannot recover from by itself.</summary>
    void HandleError(Exception error);
}

/// <summary>A component's leader: its term and where it serves.</summary>
/// <param name="Epoch">The leadership term, the leader's fencing token.</param>
/// <param name="Address">The address the leader confirmed (for an endpoint, <c>rpc://host:port/name</c>).</param>
public sealed record LeaderInformation(long Epoch, string Address);
