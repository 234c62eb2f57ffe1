namespace Toolkit.HighAvailability;

/// <summary>
/// A component that wants to lead (Flink's <c>LeaderContender</c>): a resource manager, a dispatcher, a job master.
/// Its callbacks come one at a time, in order, never concurrently, on the HA services' notification thread; an endpoint
/// moves them onto its main thread with <c>RunAsync</c>.
/// </summary>
public interface ILeaderContender
{
    /// <summary>
    /// This contender leads from now, in term <paramref name="epoch"/>: a number that strictly increases from one
    /// leader of the component to the next, to be carried as the fencing token of its calls and writes. Confirm with
    /// <see cref="ILeaderElection.ConfirmLeadershipAsync"/> once it serves, so that others can find it.
    /// </summary>
    /// <param name="epoch">The leadership term.</param>
    /// <param name="leadershipLost">Cancelled the moment the leadership ends — before <see cref="RevokeLeadership"/> is heard.</param>
    void GrantLeadership(long epoch, CancellationToken leadershipLost);

    /// <summary>The leadership granted last has ended: stop acting as leader.</summary>
    void RevokeLeadership();

    /// <summary>The election failed in a way it cannot recover from by itself.</summary>
    void HandleError(Exception error);
}
