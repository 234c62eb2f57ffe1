using Etcdserverpb;
using Grpc.Core;

namespace Toolkit.HighAvailability.Etcd;

public sealed partial class EtcdHighAvailabilityServices
{
    /// <summary>
    /// One session after another: grant a lease, campaign every election on it, keep it alive until it is lost, then
    /// revoke it (best effort) and start over with a new lease — so that every leadership after a loss has a new key and a
    /// higher term. A session is lost when no renewal succeeded for the renew deadline (etcd unreachable, this process
    /// paused), or when etcd says the lease is gone.
    /// </summary>
    private async Task RunSessionsAsync(CancellationToken stopping)
    {
        try
        {
            await RunSessionsCoreAsync(stopping).ConfigureAwait(false);
        }
        catch (Exception) when (stopping.IsCancellationRequested)
        {
            // Stopping: whatever was in flight failed with it.
        }
    }

    private async Task RunSessionsCoreAsync(CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            EtcdSession? session = await GrantSessionAsync(stopping).ConfigureAwait(false);
            if (session is null)
            {
                return;
            }

            List<EtcdLeaderElection> elections;
            lock (_lock)
            {
                Session = session;
                elections = [.. Elections];
            }

            // Leaderships end synchronously when the session does, whoever notices first (a timer, HasLeadership).
            using (session.Lost.UnsafeRegister(static state => ((EtcdHighAvailabilityServices)state!).OnSessionLost(), this))
            {
                foreach (EtcdLeaderElection election in elections)
                {
                    election.Campaign(session);
                }

                await KeepAliveAsync(session, stopping).ConfigureAwait(false);
            }

            EtcdLog.SessionLost(_logger, session.LeaseId, session.Reason);
            lock (_lock)
            {
                Session = null;
            }

            if (!stopping.IsCancellationRequested)
            {
                _ = RevokeLeaseAsync(session.LeaseId, stopping);
            }

            session.Dispose();
        }
    }

    private void OnSessionLost()
    {
        List<EtcdLeaderElection> elections;
        lock (_lock)
        {
            elections = [.. Elections];
        }

        foreach (EtcdLeaderElection election in elections)
        {
            election.OnSessionLost();
        }
    }

    private async Task<EtcdSession?> GrantSessionAsync(CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            long sentAt = _time.GetElapsedTime(0).Ticks;
            try
            {
                using CancellationTokenSource limit = CancellationTokenSource.CreateLinkedTokenSource(stopping);
                limit.CancelAfter(_options.RetryPeriod);
                LeaseGrantResponse granted = await _client.LeaseGrantAsync(
                    new LeaseGrantRequest { TTL = (long)_options.LeaseTtl.TotalSeconds }, cancellationToken: limit.Token).ConfigureAwait(false);
                if (!string.IsNullOrEmpty(granted.Error))
                {
                    throw new InvalidOperationException(granted.Error);
                }

                EtcdLog.LeaseGranted(_logger, granted.ID, granted.TTL);
                return new EtcdSession(granted.ID, _time, _options.RenewDeadline, sentAt);
            }
            catch (Exception exception) when (!stopping.IsCancellationRequested && IsTransient(exception))
            {
                EtcdLog.Retrying(_logger, "granting a lease", _options.RetryPeriod.TotalMilliseconds, exception.Message);
                await DelayRetryAsync(stopping).ConfigureAwait(false);
            }
        }

        return null;
    }

    /// <summary>
    /// Renews the lease every retry period over a keep-alive stream, one request at a time, reopening the stream when it
    /// fails (it does not survive an etcd restart). A renewal counts from when its request was sent, never from when
    /// its answer arrived, so that the local deadline falls before the server's expiry.
    /// </summary>
    private async Task KeepAliveAsync(EtcdSession session, CancellationToken stopping)
    {
        using CancellationTokenSource ended = CancellationTokenSource.CreateLinkedTokenSource(stopping, session.Lost);
        AsyncDuplexStreamingCall<LeaseKeepAliveRequest, LeaseKeepAliveResponse>? stream = null;
        try
        {
            while (!ended.IsCancellationRequested && session.CheckAlive())
            {
                long sentAt = session.Now;
                try
                {
                    using CancellationTokenSource attempt = CancellationTokenSource.CreateLinkedTokenSource(ended.Token);
                    attempt.CancelAfter(_options.RetryPeriod);
                    stream ??= _client.GetConnection().LeaseClient.LeaseKeepAlive(cancellationToken: ended.Token);
                    await stream.RequestStream.WriteAsync(new LeaseKeepAliveRequest { ID = session.LeaseId }, attempt.Token).ConfigureAwait(false);
                    if (!await stream.ResponseStream.MoveNext(attempt.Token).ConfigureAwait(false))
                    {
                        throw new IOException("etcd closed the keep-alive stream");
                    }

                    if (stream.ResponseStream.Current.TTL <= 0)
                    {
                        session.End($"etcd says lease {session.LeaseId:x16} has expired");
                        return;
                    }

                    session.Renewed(sentAt);
                }
                catch (Exception) when (ended.IsCancellationRequested)
                {
                    // The session ended or we are stopping, and the call in flight failed with it.
                    return;
                }
                catch (Exception exception) when (IsTransient(exception) || exception is IOException)
                {
                    EtcdLog.RenewFailed(_logger, session.LeaseId, exception.Message);
                    stream?.Dispose();
                    stream = null;
                }

                TimeSpan wait = TimeSpan.FromTicks(Math.Max(0, sentAt + _options.RetryPeriod.Ticks - session.Now));
                try
                {
                    await Task.Delay(wait, _time, ended.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    // The session ended or we are stopping: the loop's condition sees it.
                }
            }
        }
        finally
        {
            stream?.Dispose();
        }
    }

    /// <summary>Revokes a lost lease so that its keys go at once, rather than a TTL later; stops trying once it must have expired.</summary>
    private async Task RevokeLeaseAsync(long leaseId, CancellationToken stopping)
    {
        DateTimeOffset giveUp = _time.GetUtcNow() + _options.LeaseTtl + _options.LeaseTtl;
        while (!stopping.IsCancellationRequested && _time.GetUtcNow() < giveUp)
        {
            try
            {
                using CancellationTokenSource limit = CancellationTokenSource.CreateLinkedTokenSource(stopping);
                limit.CancelAfter(_options.RetryPeriod);
                await _client.LeaseRevokeAsync(new LeaseRevokeRequest { ID = leaseId }, cancellationToken: limit.Token).ConfigureAwait(false);
                return;
            }
            catch (RpcException exception) when (exception.Status.Detail.Contains("not found", StringComparison.OrdinalIgnoreCase))
            {
                return;
            }
            catch (Exception exception) when (!stopping.IsCancellationRequested && IsTransient(exception))
            {
                await DelayRetryAsync(stopping).ConfigureAwait(false);
            }
        }
    }

    internal static bool IsTransient(Exception exception) =>
        exception is RpcException or OperationCanceledException or HttpRequestException or IOException or InvalidOperationException;
}
