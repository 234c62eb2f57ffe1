using Toolkit.Rpc;

namespace Toolkit.Heartbeat.TestNode;

/// <summary>A master: monitors workers through a sender, and reports what it hears through the <c>events</c> callback.</summary>
public sealed class MasterEndpoint(HeartbeatServices heartbeats, Action<string, string> events, HeartbeatOptions? options = null) : RpcEndpoint, IHeartbeatListener<WorkerReport, MasterPayload>
{
    private HeartbeatSender<WorkerReport, MasterPayload>? _workers;
    private long _sequence;

    public HeartbeatSender<WorkerReport, MasterPayload> Workers => _workers ?? throw new InvalidOperationException("not started");

    /// <summary>Monitors the worker endpoint at <paramref name="address"/> (<c>rpc://host:port/name</c>) as <paramref name="workerId"/>.</summary>
    public void Monitor(string workerId, string address)
    {
        IWorkerGateway gateway = Service.GetRemoteGateway<IWorkerGateway>(address);
        Workers.MonitorTarget(
            workerId,
            HeartbeatTarget.Create<MasterPayload, WorkerReport>((from, payload, timeout) => gateway.HeartbeatFromMasterAsync(from, payload, timeout)),
            address);
    }

    public void NotifyHeartbeatTimeout(string targetId) => events("TIMEOUT", targetId);

    public void NotifyTargetUnreachable(string targetId) => events("UNREACHABLE", targetId);

    public void ReportPayload(string targetId, WorkerReport payload) => events("HEARTBEAT", targetId);

    public MasterPayload RetrievePayload(string targetId) => new(Name, ++_sequence);

    protected override Task OnStartAsync()
    {
        _workers = heartbeats.CreateSender(this, Name, this, options: options);
        return Task.CompletedTask;
    }

    protected override void OnRemoteDisconnected(RpcPeer peer) => _workers?.OnRemoteDisconnected(peer);

    protected override Task OnStopAsync()
    {
        _workers?.Stop();
        return Task.CompletedTask;
    }
}
