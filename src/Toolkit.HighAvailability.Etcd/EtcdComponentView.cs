namespace Toolkit.HighAvailability.Etcd;

/// <summary>One component's contenders as the watch has seen them, ordered by create revision, and who listens.</summary>
internal sealed class EtcdComponentView
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
