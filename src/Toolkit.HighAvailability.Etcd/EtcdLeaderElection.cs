using System.Diagnostics;
using Etcdserverpb;

namespace Toolkit.HighAvailability.Etcd;

/// <summary>
/// One component's election in this process: on each session, a key under the component's prefix attached to the
/// session's lease (made once, by a transaction that creates it only if absent — never on lease 0); leadership when the
/// process's view shows that key as the lowest create revision.
/// </summary>
[DebuggerDisplay("election of {ComponentId,nq}: term {_grantedEpoch}")]
internal sealed class EtcdLeaderElection(EtcdHighAvailabilityServices owner, string componentId) : ILeaderElection
{
    // Ending a grant (state change and token cancellation) happens under this gate, taken before owner.SyncRoot, so that
    // whoever sees a grant ended also sees its token cancelled: HasLeadership waits here for an ending in progress.
    private readonly Lock _revocation = new();

    // The fields below are guarded by owner.SyncRoot.
    private readonly Dictionary<long, (string Key, long LeaseId)> _granted = [];
    private ILeaderContender? _contender;
    private EtcdSession? _session;
    private string? _key;
    private long _revision;
    private long _grantedEpoch;
    private CancellationTokenSource? _grantLost;
    private bool _disposed;

    public string ComponentId => componentId;

    public Task StartAsync(ILeaderContender contender, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(contender);
        EtcdSession? session;
        lock (owner.SyncRoot)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_contender is not null)
            {
                throw new InvalidOperationException($"The election of component '{componentId}' was started already; an election has one contender.");
            }

            _contender = contender;
            session = owner.Session;
        }

        owner.EnsureSessions();
        if (session is not null)
        {
            Campaign(session);
        }

        return Task.CompletedTask;
    }

    public async Task ConfirmLeadershipAsync(long epoch, string address, CancellationToken cancellation = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(address);
        (string Key, long LeaseId)? granted = GrantedKey(epoch);
        if (granted is not { } leader || !HasLeadership(epoch))
        {
            throw new LeadershipLostException(componentId, epoch, await owner.CurrentEpochAsync(componentId, cancellation).ConfigureAwait(false));
        }

        TxnRequest confirm = new();
        confirm.Compare.Add(EtcdJobStore.LeaderCompare(leader.Key, epoch));
        confirm.Success.Add(new RequestOp { RequestPut = new PutRequest { Key = EtcdKeys.Bytes(leader.Key), Value = EtcdKeys.Bytes(address), Lease = leader.LeaseId } });
        TxnResponse response = await owner.Client.TransactionAsync(confirm, cancellationToken: cancellation).ConfigureAwait(false);
        if (!response.Succeeded)
        {
            throw new LeadershipLostException(componentId, epoch, await owner.CurrentEpochAsync(componentId, cancellation).ConfigureAwait(false));
        }
    }

    public bool HasLeadership(long epoch)
    {
        if (epoch == 0)
        {
            return false;
        }

        bool granted;
        EtcdSession? session;
        lock (owner.SyncRoot)
        {
            granted = _grantedEpoch == epoch;
            session = _session;
        }

        // Judged on the clock now: a process that was paused past its deadline learns it here.
        if (granted && session is not null && session.CheckAlive())
        {
            return true;
        }

        // Not (or no longer) leading: make sure the ending is complete — the grant's token cancelled — before saying so,
        // whichever thread noticed first.
        RevokeNow(epoch, session?.Reason ?? "the session ended");
        return false;
    }

    public ValueTask DisposeAsync()
    {
        long epoch;
        lock (owner.SyncRoot)
        {
            if (_disposed)
            {
                return ValueTask.CompletedTask;
            }

            _disposed = true;
            epoch = _grantedEpoch;
        }

        RevokeNow(epoch, "the election was closed");
        owner.Forget(this);
        return ResignAsync();
    }

    internal (string Key, long LeaseId)? GrantedKey(long epoch)
    {
        lock (owner.SyncRoot)
        {
            return _granted.TryGetValue(epoch, out (string Key, long LeaseId) granted) ? granted : null;
        }
    }

    /// <summary>Makes this process's key for the component on <paramref name="session"/>'s lease, then looks whether it leads.</summary>
    internal void Campaign(EtcdSession session)
    {
        lock (owner.SyncRoot)
        {
            if (_contender is null || _disposed || _session == session)
            {
                return;
            }

            _session = session;
            _key = owner.Keys.ContenderKey(componentId, session.LeaseId);
            _revision = 0;
        }

        _ = CampaignAsync(session);
    }

    /// <summary>The session ended: so does any leadership on it, at once. Runs on whichever thread ended it.</summary>
    internal void OnSessionLost()
    {
        long epoch;
        string reason;
        lock (owner.SyncRoot)
        {
            epoch = _grantedEpoch;
            reason = _session?.Reason ?? "the session ended";
            _session = null;
            _key = null;
            _revision = 0;
        }

        RevokeNow(epoch, reason);
    }

    /// <summary>Looks at the view: grants the leadership when this process's key is the lowest. Under the lock.</summary>
    internal void Evaluate()
    {
        if (_contender is null || _disposed || _session is not { } session || _revision == 0 || owner.View.AppliedRevision < _revision)
        {
            return;
        }

        if (!owner.View.Holds(componentId, _key!))
        {
            // Our key is gone while the session lives (deleted by hand, or the lease revoked from elsewhere): give up
            // any leadership on it (not under this lock: see _revocation) and make a new key.
            long ended = _grantedEpoch;
            if (ended != 0)
            {
                _ = Task.Run(() => RevokeNow(ended, "its key was deleted"));
            }

            _session = null;
            Campaign(session);
            return;
        }

        // A grant whose ending is still in progress is ended before the next one (RevokeNow looks again).
        if (_grantedEpoch == 0 && owner.View.LowestOf(componentId) is { } lowest && lowest.CreateRevision == _revision && !session.Lost.IsCancellationRequested)
        {
            long epoch = _revision;
            _grantedEpoch = epoch;
            _granted[epoch] = (_key!, session.LeaseId);
            _grantLost = new CancellationTokenSource();
            CancellationToken token = _grantLost.Token;
            ILeaderContender contender = _contender;
            EtcdLog.Granted(owner.Logger, componentId, epoch);
            owner.Callbacks.Post(() => contender.GrantLeadership(epoch, token));
        }
    }

    /// <summary>
    /// Ends the grant of term <paramref name="epoch"/> if it is the current one: the state changes and the grant's token
    /// is cancelled (the contender's registrations run) before this returns, and before anyone else can see it ended.
    /// </summary>
    private void RevokeNow(long epoch, string reason)
    {
        lock (_revocation)
        {
            CancellationTokenSource? lost;
            lock (owner.SyncRoot)
            {
                lost = epoch != 0 && _grantedEpoch == epoch ? EndGrant(reason) : null;
            }

            lost?.Cancel();
        }

        lock (owner.SyncRoot)
        {
            Evaluate();
        }
    }

    /// <summary>Ends the current grant; the caller cancels the returned token source, under the revocation gate.</summary>
    private CancellationTokenSource? EndGrant(string reason)
    {
        if (_grantedEpoch == 0)
        {
            return null;
        }

        EtcdLog.Revoked(owner.Logger, componentId, _grantedEpoch, reason);
        _grantedEpoch = 0;
        CancellationTokenSource? lost = _grantLost;
        _grantLost = null;
        if (_contender is { } contender)
        {
            owner.Callbacks.Post(contender.RevokeLeadership);
        }

        return lost;
    }

    private async Task CampaignAsync(EtcdSession session)
    {
        string key = owner.Keys.ContenderKey(componentId, session.LeaseId);
        while (!session.Lost.IsCancellationRequested)
        {
            try
            {
                // Create the key on this lease only if it is absent; if a retry finds it, its create revision stands.
                TxnRequest create = new();
                create.Compare.Add(new Compare
                {
                    Key = EtcdKeys.Bytes(key),
                    Target = Compare.Types.CompareTarget.Create,
                    Result = Compare.Types.CompareResult.Equal,
                    CreateRevision = 0,
                });
                create.Success.Add(new RequestOp { RequestPut = new PutRequest { Key = EtcdKeys.Bytes(key), Value = Google.Protobuf.ByteString.Empty, Lease = session.LeaseId } });
                create.Failure.Add(new RequestOp { RequestRange = new RangeRequest { Key = EtcdKeys.Bytes(key) } });
                using CancellationTokenSource limit = CancellationTokenSource.CreateLinkedTokenSource(session.Lost);
                limit.CancelAfter(owner.RetryPeriod);
                TxnResponse response = await owner.Client.TransactionAsync(create, cancellationToken: limit.Token).ConfigureAwait(false);
                long revision = response.Succeeded
                    ? response.Header.Revision
                    : response.Responses[0].ResponseRange.Kvs.Count > 0 ? response.Responses[0].ResponseRange.Kvs[0].CreateRevision : 0;
                if (revision == 0)
                {
                    // The key vanished between the compare and the read (the lease just expired): the session is done.
                    session.End($"lease {session.LeaseId:x16} is gone");
                    return;
                }

                lock (owner.SyncRoot)
                {
                    if (_session == session)
                    {
                        _revision = revision;
                        Evaluate();
                    }
                }

                return;
            }
            catch (Exception) when (session.Lost.IsCancellationRequested)
            {
                // The session ended meanwhile: the next one campaigns again.
                return;
            }
            catch (Exception exception) when (EtcdHighAvailabilityServices.IsTransient(exception))
            {
                EtcdLog.Retrying(owner.Logger, $"campaigning for '{componentId}'", owner.RetryPeriod.TotalMilliseconds, exception.Message);
                await owner.DelayRetryAsync(session.Lost).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Deletes this process's key for the component, so that the next contender leads at once.</summary>
    private async ValueTask ResignAsync()
    {
        string? key;
        lock (owner.SyncRoot)
        {
            key = _key;
            _key = null;
            _session = null;
        }

        if (key is null)
        {
            return;
        }

        try
        {
            using CancellationTokenSource limit = new(owner.RetryPeriod);
            await owner.Client.DeleteAsync(new DeleteRangeRequest { Key = EtcdKeys.Bytes(key) }, cancellationToken: limit.Token).ConfigureAwait(false);
        }
        catch (Exception exception) when (EtcdHighAvailabilityServices.IsTransient(exception))
        {
            // etcd unreachable: the key goes with the lease.
        }
    }
}
