namespace Toolkit.HighAvailability;

/// <summary>
/// One retrieval listener of a provider: hears each change of a component's leader once, in order, and leaves the
/// provider's list through <paramref name="unsubscribe"/> when disposed. <see cref="Notify"/> runs on the provider's
/// callback queue only, so no two notifications overlap.
/// </summary>
internal sealed class LeaderSubscription(ILeaderRetrievalListener listener, Action<LeaderSubscription> unsubscribe) : IDisposable
{
    private LeaderInformation? _last;
    private bool _notified;
    private volatile bool _disposed;

    public void Notify(LeaderInformation? leader)
    {
        if (_disposed || (_notified && _last == leader))
        {
            return;
        }

        _notified = true;
        _last = leader;
        listener.NotifyLeaderAddress(leader);
    }

    public void Dispose()
    {
        _disposed = true;
        unsubscribe(this);
    }
}
