namespace Toolkit.Rpc.Tests.Infrastructure;

/// <summary>An endpoint that records the connections its service opens and loses, as it hears of them on its main thread.</summary>
public sealed class PeerWatcher : RpcEndpoint
{
    private readonly List<RpcPeer> _connected = [];
    private readonly List<RpcPeer> _disconnected = [];

    /// <summary>The peers connected so far, once there are at least <paramref name="count"/>.</summary>
    public Task<List<RpcPeer>> ConnectedAsync(int count) => WaitForAsync(_connected, count);

    /// <summary>The peers lost so far, once there are at least <paramref name="count"/>.</summary>
    public Task<List<RpcPeer>> DisconnectedAsync(int count) => WaitForAsync(_disconnected, count);

    protected override void OnRemoteConnected(RpcPeer peer)
    {
        ValidateRunsInMainThread();
        _connected.Add(peer);
    }

    protected override void OnRemoteDisconnected(RpcPeer peer)
    {
        ValidateRunsInMainThread();
        _disconnected.Add(peer);
    }

    private async Task<List<RpcPeer>> WaitForAsync(List<RpcPeer> peers, int count)
    {
        while (true)
        {
            List<RpcPeer> snapshot = await CallAsync(() => peers.ToList(), TimeSpan.FromSeconds(5));
            if (snapshot.Count >= count)
            {
                return snapshot;
            }

            await Task.Delay(5);
        }
    }
}
