using System.Diagnostics;
using Toolkit.HighAvailability.Stores;

namespace Toolkit.HighAvailability.Embedded;

/// <summary>
/// High availability within one process (the default; Flink's embedded HA services): contenders of a component in this
/// process take turns, first come first served; a component's terms count up from 1. Nothing survives the process.
/// Unlike the providers that elect across processes, several contenders of one component may run here (tests do).
/// </summary>
[DebuggerDisplay("Embedded HA ({_components.Count} components)")]
public sealed class EmbeddedHighAvailabilityServices : IHighAvailabilityServices
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, Component> _components = new(StringComparer.Ordinal);
    private readonly Dictionary<string, InMemoryJobStore> _stores = new(StringComparer.Ordinal);
    private readonly CallbackQueue _callbacks = new(static _ => { });

    /// <inheritdoc />
    public ILeaderElection CreateLeaderElection(string componentId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(componentId);
        return new Election(this, componentId);
    }

    /// <inheritdoc />
    public IDisposable RetrieveLeader(string componentId, ILeaderRetrievalListener listener)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(componentId);
        ArgumentNullException.ThrowIfNull(listener);
        LeaderSubscription subscription = new(listener, leaving =>
        {
            lock (_lock)
            {
                Get(componentId).Listeners.Remove(leaving);
            }
        });
        lock (_lock)
        {
            Component component = Get(componentId);
            component.Listeners.Add(subscription);
            LeaderInformation? known = component.Confirmed;
            _callbacks.Post(() => subscription.Notify(known));
        }

        return subscription;
    }

    /// <inheritdoc />
    public IJobGraphStore GetJobGraphStore(string writerComponentId = "dispatcher") => Store(writerComponentId);

    /// <inheritdoc />
    public IJobResultStore GetJobResultStore(string writerComponentId = "dispatcher") => Store(writerComponentId);

    /// <summary>
    /// Takes the leadership of <paramref name="componentId"/> from its leader, which goes to the back of the line, and
    /// grants it to the next contender (to the same one, with a new term, when it is alone): how tests lose a leader.
    /// </summary>
    public void RevokeLeadership(string componentId)
    {
        lock (_lock)
        {
            Component component = Get(componentId);
            if (component.Leader is { } leader)
            {
                EndLeadership(component);
                component.Contenders.Remove(leader);
                component.Contenders.Add(leader);
                GrantNext(component);
            }
        }
    }

    /// <summary>Completes when every callback queued so far has run (tests wait on it).</summary>
    public Task DrainCallbacksAsync() => _callbacks.DrainAsync();

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        lock (_lock)
        {
            foreach (Component component in _components.Values)
            {
                EndLeadership(component);
                component.Contenders.Clear();
            }
        }

        await _callbacks.DisposeAsync().ConfigureAwait(false);
    }

    private InMemoryJobStore Store(string componentId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(componentId);
        lock (_lock)
        {
            if (!_stores.TryGetValue(componentId, out InMemoryJobStore? store))
            {
                store = new InMemoryJobStore(componentId, epoch => CurrentIfNotLeading(componentId, epoch));
                _stores.Add(componentId, store);
            }

            return store;
        }
    }

    private long? CurrentIfNotLeading(string componentId, long epoch)
    {
        lock (_lock)
        {
            Component component = Get(componentId);
            return component.Leader is not null && component.Epoch == epoch ? null : component.Leader is null ? 0 : component.Epoch;
        }
    }

    private Component Get(string componentId)
    {
        if (!_components.TryGetValue(componentId, out Component? component))
        {
            component = new Component();
            _components.Add(componentId, component);
        }

        return component;
    }

    private void GrantNext(Component component)
    {
        if (component.Leader is not null || component.Contenders.Count == 0)
        {
            return;
        }

        Election next = component.Contenders[0];
        component.Leader = next;
        long epoch = ++component.Epoch;
        CancellationTokenSource lost = new();
        component.LeadershipLost = lost;
        ILeaderContender contender = next.Contender!;
        _callbacks.Post(() => contender.GrantLeadership(epoch, lost.Token));
    }

    private void EndLeadership(Component component)
    {
        if (component.Leader is not { } leader)
        {
            return;
        }

        component.Leader = null;
        component.LeadershipLost?.Cancel();
        component.LeadershipLost = null;
        ILeaderContender contender = leader.Contender!;
        _callbacks.Post(contender.RevokeLeadership);
        Publish(component, null);
    }

    private void Publish(Component component, LeaderInformation? leader)
    {
        if (component.Confirmed == leader)
        {
            return;
        }

        component.Confirmed = leader;
        foreach (LeaderSubscription subscription in component.Listeners)
        {
            _callbacks.Post(() => subscription.Notify(leader));
        }
    }

    private sealed class Component
    {
        public List<Election> Contenders { get; } = [];

        public List<LeaderSubscription> Listeners { get; } = [];

        public Election? Leader { get; set; }

        public long Epoch { get; set; }

        public CancellationTokenSource? LeadershipLost { get; set; }

        public LeaderInformation? Confirmed { get; set; }
    }

    private sealed class Election(EmbeddedHighAvailabilityServices owner, string componentId) : ILeaderElection
    {
        public string ComponentId => componentId;

        public ILeaderContender? Contender { get; private set; }

        public Task StartAsync(ILeaderContender contender, CancellationToken cancellation = default)
        {
            ArgumentNullException.ThrowIfNull(contender);
            lock (owner._lock)
            {
                if (Contender is not null)
                {
                    throw new InvalidOperationException($"The election of component '{componentId}' was started already; an election has one contender.");
                }

                Contender = contender;
                Component component = owner.Get(componentId);
                component.Contenders.Add(this);
                owner.GrantNext(component);
            }

            return Task.CompletedTask;
        }

        public Task ConfirmLeadershipAsync(long epoch, string address, CancellationToken cancellation = default)
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(address);
            lock (owner._lock)
            {
                Component component = owner.Get(componentId);
                if (component.Leader != this || component.Epoch != epoch)
                {
                    throw new LeadershipLostException(componentId, epoch, component.Leader is null ? null : component.Epoch);
                }

                owner.Publish(component, new LeaderInformation(epoch, address));
            }

            return Task.CompletedTask;
        }

        public bool HasLeadership(long epoch)
        {
            lock (owner._lock)
            {
                Component component = owner.Get(componentId);
                return component.Leader == this && component.Epoch == epoch;
            }
        }

        public ValueTask DisposeAsync()
        {
            lock (owner._lock)
            {
                Component component = owner.Get(componentId);
                if (component.Leader == this)
                {
                    owner.EndLeadership(component);
                }

                component.Contenders.Remove(this);
                owner.GrantNext(component);
            }

            return ValueTask.CompletedTask;
        }
    }
}
