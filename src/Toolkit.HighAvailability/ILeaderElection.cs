namespace Toolkit.HighAvailability;

/// <summary>One component's election in this process (Flink's <c>LeaderElection</c>).</summary>
public interface ILeaderElection : IAsyncDisposable
{
    /// <summary>The component's name (<c>resourcemanager</c>, <c>dispatcher</c>, <c>jobmaster-&lt;job&gt;</c>).</summary>
    string ComponentId { get; }

    /// <summary>Starts campaigning for <paramref name="contender"/>; it hears <see cref="ILeaderContender.GrantLeadership"/> when it wins.</summary>
    /// <exception cref="InvalidOperationException">The election was started already.</exception>
    Task StartAsync(ILeaderContender contender, CancellationToken cancellation = default);

    /// <summary>
    /// Publishes <paramref name="address"/> as the leader's for term <paramref name="epoch"/>, so that retrieval
    /// listeners hear it.
    /// </summary>
    /// <exception cref="LeadershipLostException">This process no longer leads in term <paramref name="epoch"/>.</exception>
    Task ConfirmLeadershipAsync(long epoch, string address, CancellationToken cancellation = default);

    /// <summary>
    /// Whether this process leads in term <paramref name="epoch"/> right now: false from the moment the leadership
    /// lapsed, even before <see cref="ILeaderContender.RevokeLeadership"/> is heard. Check it before acting as leader.
    /// </summary>
    bool HasLeadership(long epoch);
}
