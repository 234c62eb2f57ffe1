namespace Toolkit.HighAvailability;

/// <summary>
/// A process's high-availability services (Flink's <c>HighAvailabilityServices</c>): one election per component,
/// leader retrieval, and the durable HA state. Register one per process with <c>AddHighAvailability</c>.
/// </summary>
public interface IHighAvailabilityServices : IAsyncDisposable
{
    /// <summary>The election of <paramref name="componentId"/> for this process; each component is elected once per process.</summary>
    /// <exception cref="InvalidOperationException">This process has an election for the component already.</exception>
    ILeaderElection CreateLeaderElection(string componentId);

    /// <summary>
    /// Tells <paramref name="listener"/> who leads <paramref name="componentId"/>: at once what is known, then every
    /// change, in order, until the returned handle is disposed.
    /// </summary>
    IDisposable RetrieveLeader(string componentId, ILeaderRetrievalListener listener);

    /// <summary>Submitted jobs (Flink's job graph store), written by the leaders of <paramref name="writerComponentId"/>.</summary>
    IJobGraphStore GetJobGraphStore(string writerComponentId = "dispatcher");

    /// <summary>Finished jobs' results (Flink's job result store), written by the leaders of <paramref name="writerComponentId"/>.</summary>
    IJobResultStore GetJobResultStore(string writerComponentId = "dispatcher");
}
