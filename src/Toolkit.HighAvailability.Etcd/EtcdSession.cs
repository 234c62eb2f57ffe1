namespace Toolkit.HighAvailability.Etcd;

/// <summary>
/// One lease of this process and the local deadline of its leaderships: alive until the renew deadline after
/// the last renewal that succeeded was sent. The deadline is judged on the process's monotonic clock whenever anyone
/// asks (<see cref="CheckAlive"/>), not only when a timer fires, so that a process that was paused past it knows at once.
/// </summary>
internal sealed class EtcdSession : IDisposable
{
    private readonly TimeProvider _time;
    private readonly long _renewDeadlineTicks;
    private readonly CancellationTokenSource _lost;
    private long _aliveUntil;
    private string? _reason;

    public EtcdSession(long leaseId, TimeProvider time, TimeSpan renewDeadline, long grantSentAt)
    {
        LeaseId = leaseId;
        _time = time;
        _renewDeadlineTicks = renewDeadline.Ticks;
        _aliveUntil = grantSentAt + _renewDeadlineTicks;
        _lost = new CancellationTokenSource(Remaining(), time);
        _lost.Token.UnsafeRegister(static state => ((EtcdSession)state!)._reason ??= "the renew deadline passed without a successful renewal", this);
    }

    public long LeaseId { get; }

    /// <summary>Cancelled the moment the session ends: its deadline passed, the lease expired, or the services stopped.</summary>
    public CancellationToken Lost => _lost.Token;

    public string Reason => _reason ?? "still alive";

    /// <summary>The last instant (ticks of <see cref="Now"/>) at which leaderships of this session may act.</summary>
    public long AliveUntil => Volatile.Read(ref _aliveUntil);

    public long Now => _time.GetElapsedTime(0).Ticks;

    /// <summary>Whether the session is alive now; ends it when its deadline has passed (its leaderships end synchronously).</summary>
    public bool CheckAlive()
    {
        if (_lost.IsCancellationRequested)
        {
            return false;
        }

        if (Now < AliveUntil)
        {
            return true;
        }

        End("the renew deadline passed without a successful renewal");
        return false;
    }

    /// <summary>A renewal sent at <paramref name="sentAt"/> succeeded: the leaderships may act until <c>sentAt + RenewDeadline</c>.</summary>
    public void Renewed(long sentAt)
    {
        if (!CheckAlive())
        {
            return;
        }

        long until = sentAt + _renewDeadlineTicks;
        if (until > AliveUntil)
        {
            Volatile.Write(ref _aliveUntil, until);
            try
            {
                _lost.CancelAfter(Remaining());
            }
            catch (ObjectDisposedException)
            {
                // Disposed meanwhile: the session is over anyway.
            }
        }
    }

    public void End(string reason)
    {
        _reason ??= reason;
        try
        {
            _lost.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // Ended and disposed already.
        }
    }

    public void Dispose() => _lost.Dispose();

    private TimeSpan Remaining() => TimeSpan.FromTicks(Math.Max(0, AliveUntil - Now));
}
