namespace Toolkit.Rpc.Tests.Serialization;

/// <summary>Hears notifications from a <see cref="RichEndpoint"/> and can subscribe itself to one.</summary>
public sealed class ListenerEndpoint : RpcEndpoint, IListenerGateway
{
    private readonly List<string> _topics = [];

    /// <summary>The topics notified so far; read only after the calls that notify have completed.</summary>
    public IReadOnlyList<string> Topics => _topics;

    public Task<Scalars> NotifyAsync(string topic, Scalars payload)
    {
        ValidateRunsInMainThread();
        _topics.Add(topic);
        return Task.FromResult(payload);
    }

    public Task<int> SubscribeToAsync(IRichGateway rich, string topic) =>
        rich.SubscribeAsync(new Subscription(topic, GetSelfGateway<IListenerGateway>(), SampleValues.Scalars));
}
