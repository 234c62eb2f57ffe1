using Etcdserverpb;
using Grpc.Core;
using Mvccpb;

namespace Toolkit.HighAvailability.Etcd;

/// <summary>
/// The process's one view of every component's contenders, from one watch over the election prefix: lists it, then
/// watches from the next revision, resumes after a failure from the last revision applied, and publishes each
/// component's leader to its listeners and lets this process's election look. State is guarded by the services' lock.
/// </summary>
internal sealed class EtcdLeaderView(EtcdHighAvailabilityServices owner)
{
    private readonly Dictionary<string, EtcdComponentView> _components = new(StringComparer.Ordinal);
    private long _appliedRevision;
    private bool _viewReady;

    /// <summary>The revision up to which the view has applied every change.</summary>
    internal long AppliedRevision => Volatile.Read(ref _appliedRevision);

    /// <summary>The contender that leads <paramref name="componentId"/> in the view: the lowest create revision. Call under the lock.</summary>
    internal (long CreateRevision, string Key, string Value)? LowestOf(string componentId) =>
        _components.TryGetValue(componentId, out EtcdComponentView? view) ? view.Lowest : null;

    /// <summary>Whether the view holds <paramref name="key"/>. Call under the lock.</summary>
    internal bool Holds(string componentId, string key) =>
        _components.TryGetValue(componentId, out EtcdComponentView? view) && view.Contenders.ContainsKey(key);

    internal IDisposable Subscribe(string componentId, ILeaderRetrievalListener listener)
    {
        LeaderSubscription subscription = new(listener, leaving =>
        {
            lock (owner.SyncRoot)
            {
                ViewOf(componentId).Listeners.Remove(leaving);
            }
        });
        lock (owner.SyncRoot)
        {
            EtcdComponentView view = ViewOf(componentId);
            view.Listeners.Add(subscription);
            if (_viewReady)
            {
                LeaderInformation? known = view.Published;
                owner.Callbacks.Post(() => subscription.Notify(known));
            }
        }

        return subscription;
    }

    /// <summary>
    /// Lists the election prefix, then watches it from the next revision; after a failure, watches again from the
    /// revision after the last one applied, and lists again only when etcd compacted that revision away.
    /// </summary>
    internal async Task RunAsync(CancellationToken stopping)
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
            catch (Exception exception) when (!stopping.IsCancellationRequested && (EtcdHighAvailabilityServices.IsTransient(exception) || exception is IOException))
            {
                EtcdLog.WatchResumed(owner.Logger, Volatile.Read(ref _appliedRevision) + 1, exception.Message);
                await owner.DelayRetryAsync(stopping).ConfigureAwait(false);
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
        limit.CancelAfter(owner.RetryPeriod * 2);
        RangeResponse all = await owner.Client.GetAsync(
            new RangeRequest { Key = EtcdKeys.Bytes(owner.Keys.ElectionPrefix), RangeEnd = EtcdKeys.RangeEnd(owner.Keys.ElectionPrefix) },
            cancellationToken: limit.Token).ConfigureAwait(false);
        lock (owner.SyncRoot)
        {
            HashSet<string> touched = new(_components.Keys, StringComparer.Ordinal);
            foreach (EtcdComponentView view in _components.Values)
            {
                view.Clear();
            }

            foreach (KeyValue kv in all.Kvs)
            {
                string key = kv.Key.ToStringUtf8();
                if (owner.Keys.ComponentOf(key) is { } component)
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
        using AsyncDuplexStreamingCall<WatchRequest, WatchResponse> watch = owner.Client.GetConnection().WatchClient.Watch(cancellationToken: stopping);
        await watch.RequestStream.WriteAsync(new WatchRequest
        {
            CreateRequest = new WatchCreateRequest
            {
                Key = EtcdKeys.Bytes(owner.Keys.ElectionPrefix),
                RangeEnd = EtcdKeys.RangeEnd(owner.Keys.ElectionPrefix),
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

            lock (owner.SyncRoot)
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

        if (owner.Keys.ComponentOf(key) is not { } component)
        {
            return;
        }

        EtcdComponentView view = ViewOf(component);
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
        EtcdComponentView view = ViewOf(componentId);
        LeaderInformation? leader = view.Lowest is { } lowest && lowest.Value.Length > 0 ? new LeaderInformation(lowest.CreateRevision, lowest.Value) : null;
        if (leader != view.Published || !view.EverPublished)
        {
            view.Published = leader;
            view.EverPublished = true;
            foreach (LeaderSubscription subscription in view.Listeners)
            {
                owner.Callbacks.Post(() => subscription.Notify(leader));
            }
        }

        owner.ElectionOf(componentId)?.Evaluate();
    }

    private EtcdComponentView ViewOf(string componentId)
    {
        if (!_components.TryGetValue(componentId, out EtcdComponentView? view))
        {
            view = new EtcdComponentView();
            _components.Add(componentId, view);
        }

        return view;
    }
}
