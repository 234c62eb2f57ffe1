using Toolkit.HighAvailability.Stores;

namespace Toolkit.HighAvailability.Standalone;

/// <summary>
/// High availability without an election (Flink's standalone HA services): each component runs once, at an address
/// fixed in configuration; its one contender leads at once, in term 1, and retrieval answers with the fixed address.
/// The HA state lives in memory. For deployments that restart a failed component in place.
/// </summary>
public sealed class StandaloneHighAvailabilityServices : IHighAvailabilityServices
{
    /// <summary>The term every component leads in.</summary>
    public const long Epoch = 1;

    private readonly Dictionary<string, string> _addresses;
    private readonly Lock _lock = new();
    private readonly HashSet<string> _elected = new(StringComparer.Ordinal);
    private readonly Dictionary<string, InMemoryJobStore> _stores = new(StringComparer.Ordinal);
    private readonly CallbackQueue _callbacks = new(static _ => { });

    /// <summary>Creates the services with each component's fixed address (<c>rpc://host:port/name</c>).</summary>
    public StandaloneHighAvailabilityServices(IReadOnlyDictionary<string, string> leaderAddresses)
    {
        ArgumentNullException.ThrowIfNull(leaderAddresses);
        foreach ((string component, string address) in leaderAddresses)
        {
            if (string.IsNullOrWhiteSpace(component) || string.IsNullOrWhiteSpace(address))
            {
                throw new ArgumentException($"Standalone HA needs a component name and an address for each entry; got '{component}' = '{address}'.", nameof(leaderAddresses));
            }
        }

        _addresses = new Dictionary<string, string>(leaderAddresses, StringComparer.Ordinal);
    }

    /// <inheritdoc />
    public ILeaderElection CreateLeaderElection(string componentId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(componentId);
        lock (_lock)
        {
            if (!_elected.Add(componentId))
            {
                throw new InvalidOperationException($"This process has an election for component '{componentId}' already.");
            }
        }

        return new Election(this, componentId);
    }

    /// <inheritdoc />
    public IDisposable RetrieveLeader(string componentId, ILeaderRetrievalListener listener)
    {
        ArgumentNullException.ThrowIfNull(listener);
        string address = AddressOf(componentId);
        CancellationTokenSource subscription = new();
        _callbacks.Post(() =>
        {
            if (!subscription.IsCancellationRequested)
            {
                listener.NotifyLeaderAddress(new LeaderInformation(Epoch, address));
            }
        });
        return subscription;
    }

    /// <inheritdoc />
    public IJobGraphStore GetJobGraphStore(string writerComponentId = "dispatcher") => Store(writerComponentId);

    /// <inheritdoc />
    public IJobResultStore GetJobResultStore(string writerComponentId = "dispatcher") => Store(writerComponentId);

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _callbacks.DisposeAsync();

    private string AddressOf(string componentId) =>
        _addresses.TryGetValue(componentId, out string? address)
            ? address
            : throw new ArgumentException($"Standalone HA has no address for component '{componentId}' (it has: {string.Join(", ", _addresses.Keys.Order())}).", nameof(componentId));

    private InMemoryJobStore Store(string componentId)
    {
        lock (_lock)
        {
            if (!_stores.TryGetValue(componentId, out InMemoryJobStore? store))
            {
                store = new InMemoryJobStore(componentId, epoch => epoch == Epoch ? null : Epoch);
                _stores.Add(componentId, store);
            }

            return store;
        }
    }

    private sealed class Election(StandaloneHighAvailabilityServices owner, string componentId) : ILeaderElection
    {
        private readonly CancellationTokenSource _lost = new();
        private int _started;

        public string ComponentId => componentId;

        public Task StartAsync(ILeaderContender contender, CancellationToken cancellation = default)
        {
            ArgumentNullException.ThrowIfNull(contender);
            owner.AddressOf(componentId);
            if (Interlocked.Exchange(ref _started, 1) != 0)
            {
                throw new InvalidOperationException($"The election of component '{componentId}' was started already; an election has one contender.");
            }

            owner._callbacks.Post(() => contender.GrantLeadership(Epoch, _lost.Token));
            return Task.CompletedTask;
        }

        public Task ConfirmLeadershipAsync(long epoch, string address, CancellationToken cancellation = default) =>
            HasLeadership(epoch) ? Task.CompletedTask : throw new LeadershipLostException(componentId, epoch, Epoch);

        public bool HasLeadership(long epoch) => epoch == Epoch && Volatile.Read(ref _started) == 1 && !_lost.IsCancellationRequested;

        public ValueTask DisposeAsync()
        {
            _lost.Cancel();
            return ValueTask.CompletedTask;
        }
    }
}
