using Etcdserverpb;
using Grpc.Core;
using Mvccpb;

namespace Toolkit.HighAvailability.Etcd;

public sealed partial class EtcdHighAvailabilityServices
{
    // The process's one view of every component's contenders, from one watch over the election prefix. Guarded by _lock.
    private readonly Dictionary<string, ComponentView> _components = new(StringComparer.Ordinal);
    private readonly Task _viewLoop;
    private long _appliedRevision;
    private bool _viewReady;

    /// <summary>The revision up to which the view has applied every change.</summary>
    internal long AppliedRevision => _appliedRevision;

    /// <summary>The contender that leads <paramref name="componentId"/> in the view: the lowest create revision. Call under the lock.</summary>
    internal (long CreateRevision, string Key, string Value)? LowestOf(string componentId) =>
        _components.TryGetValue(componentId, out ComponentView? view) ? view.Lowest : null;

    /// <summary>Whether the view holds <paramref name="key"/>. Call under the lock.</summary>
    internal bool ViewHolds(string componentId, string key) =>
        _components.TryGetValue(componentId, out ComponentView? view) && view.Contenders.ContainsKey(key);

    private IDisposable Subscribe(string componentId, ILeaderRetrievalListener listener)
    {
        LeaderSubscription subscription = new(listener, leaving =>
        {
            lock (_lock)
            {
                ViewOf(componentId).Listeners.Remove(leaving);
            }
        });
        lock (_lock)
        {
            ComponentView view = ViewOf(componentId);
            view.Listeners.Add(subscription);
            if (_viewReady)
            {
                LeaderInformation? known = view.Published;
                _callbacks.Post(() => subscription.Notify(known));
            }
        }

        return subscription;
    }

    /// <summary>
    /// Lists the election prefix, then watches it from the next revision; after a failure, watches again from the
    /// revision after the last one applied, and lists again only when etcd compacted that revision away.
    /// </summary>
    private async Task RunViewAsync(CancellationToken stopping)
    {
        bool resync = true;
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                if (resync)
                {
                    await ListAsync(stopping).ConfigureAwait(false);
                    resync = false;
                }

                resync = await WatchAsync(stopping).ConfigureAwait(false);
            }
            catch (Exception exception) when (!stopping.IsCancellationRequested && (IsTransient(exception) || exception is IOException))
            {
                EtcdLog.WatchResumed(_logger, Volatile.Read(ref _appliedRevision) + 1, exception.Message);
                await DelayRetryAsync(stopping).ConfigureAwait(false);
            }
            catch (Exception) when (stopping.IsCancellationRequested)
            {
                // Stopping: the watch or listing in flight failed with it.
                return;
            }
        }
    }

    private async Task ListAsync(CancellationToken stopping)
    {
        using CancellationTokenSource limit = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        limit.CancelAfter(_options.RetryPeriod * 2);
        RangeResponse all = await _client.GetAsync(
            new RangeRequest { Key = EtcdKeys.Bytes(_keys.ElectionPrefix), RangeEnd = EtcdKeys.RangeEnd(_keys.ElectionPrefix) },
            cancellationToken: limit.Token).ConfigureAwait(false);
        lock (_lock)
        {
            HashSet<string> touched = new(_components.Keys, StringComparer.Ordinal);
            foreach (ComponentView view in _components.Values)
            {
                view.Clear();
            }

            foreach (KeyValue kv in all.Kvs)
            {
                string key = kv.Key.ToStringUtf8();
                if (_keys.ComponentOf(key) is { } component)
                {
                    ViewOf(component).Put(key, kv.CreateRevision, kv.Value.ToStringUtf8());
                    touched.Add(component);
                }
            }

            _appliedRevision = all.Header.Revision;
            _viewReady = true;
            foreach (string component in touched)
            {
                Changed(component);
            }
        }
    }

    /// <summary>Watches until the stream fails (an exception) or etcd cancels it; returns whether a new listing is needed.</summary>
    private async Task<bool> WatchAsync(CancellationToken stopping)
    {
        using AsyncDuplexStreamingCall<WatchRequest, WatchResponse> watch = _client.GetConnection().WatchClient.Watch(cancellationToken: stopping);
        await watch.RequestStream.WriteAsync(new WatchRequest
        {
            CreateRequest = new WatchCreateRequest
            {
                Key = EtcdKeys.Bytes(_keys.ElectionPrefix),
                RangeEnd = EtcdKeys.RangeEnd(_keys.ElectionPrefix),
                StartRevision = Volatile.Read(ref _appliedRevision) + 1,
                ProgressNotify = true,
            },
        }).ConfigureAwait(false);

        while (await watch.ResponseStream.MoveNext(stopping).ConfigureAwait(false))
        {
            WatchResponse response = watch.ResponseStream.Current;
            if (response.Canceled)
            {
                // Compacted past our revision: only a new listing can tell what happened meanwhile.
                return response.CompactRevision > 0;
            }

            lock (_lock)
            {
                foreach (Event change in response.Events)
                {
                    Apply(change);
                }

                if (response.Events.Count == 0 && !response.Created && response.Header.Revision > _appliedRevision)
                {
                    // A progress notification: every change up to its revision has been sent.
                    _appliedRevision = response.Header.Revision;
                }
            }
        }

        throw new IOException("etcd closed the watch stream");
    }

    /// <summary>Applies one change, then tells the component's listeners and election if its leader changed. Under the lock.</summary>
    private void Apply(Event change)
    {
        string key = change.Kv.Key.ToStringUtf8();
        if (change.Kv.ModRevision > _appliedRevision)
        {
            _appliedRevision = change.Kv.ModRevision;
        }

        if (_keys.ComponentOf(key) is not { } component)
        {
            return;
        }

        ComponentView view = ViewOf(component);
        if (change.Type == Event.Types.EventType.Put)
        {
            view.Put(key, change.Kv.CreateRevision, change.Kv.Value.ToStringUtf8());
        }
        else
        {
            view.Remove(key);
        }

        Changed(component);
    }

    /// <summary>Publishes the component's leader to its listeners when it changed, and lets this process's election look. Under the lock.</summary>
    private void Changed(string componentId)
    {
        ComponentView view = ViewOf(componentId);
        LeaderInformation? leader = view.Lowest is { } lowest && lowest.Value.Length > 0 ? new LeaderInformation(lowest.CreateRevision, lowest.Value) : null;
        if (leader != view.Published || !view.EverPublished)
        {
            view.Published = leader;
            view.EverPublished = true;
            foreach (LeaderSubscription subscription in view.Listeners)
            {
                _callbacks.Post(() => subscription.Notify(leader));
            }
        }

        ElectionOf(componentId)?.Evaluate();
    }

    private ComponentView ViewOf(string componentId)
    {
        if (!_components.TryGetValue(componentId, out ComponentView? view))
        {
            view = new ComponentView();
            _components.Add(componentId, view);
        }

        return view;
    }

    private sealed class ComponentView
    {
        private readonly SortedSet<(long CreateRevision, string Key)> _order = [];

        public Dictionary<string, (long CreateRevision, string Value)> Contenders { get; } = new(StringComparer.Ordinal);

        public List<LeaderSubscription> Listeners { get; } = [];

        public LeaderInformation? Published { get; set; }

        public bool EverPublished { get; set; }

        public (long CreateRevision, string Key, string Value)? Lowest =>
            _order.Count == 0 ? null : (_order.Min.CreateRevision, _order.Min.Key, Contenders[_order.Min.Key].Value);

        public void Put(string key, long createRevision, string value)
        {
            if (Contenders.TryGetValue(key, out (long CreateRevision, string Value) old))
            {
                _order.Remove((old.CreateRevision, key));
            }

            Contenders[key] = (createRevision, value);
            _order.Add((createRevision, key));
        }

        public void Remove(string key)
        {
            if (Contenders.Remove(key, out (long CreateRevision, string Value) old))
            {
                _order.Remove((old.CreateRevision, key));
            }
        }

        public void Clear()
        {
            Contenders.Clear();
            _order.Clear();
        }
    }
}
