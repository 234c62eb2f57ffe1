using Toolkit.Rpc;

namespace Toolkit.Heartbeat.TestNode;

/// <summary>
/// A worker: answers heartbeat requests for any number of worker ids it hosts (one process stands in for many workers
/// in the benchmarks), and monitors its master through a receiver.
/// </summary>
public sealed class WorkerEndpoint(HeartbeatServices heartbeats, int freeSlots = 4) : RpcEndpoint, IWorkerGateway, IHeartbeatListener<MasterPayload, WorkerReport>
{
    private HeartbeatReceiver<MasterPayload, WorkerReport>? _masters;

    public List<MasterPayload> Received { get; } = [];

    public List<string> TimedOut { get; } = [];

    public HeartbeatReceiver<MasterPayload, WorkerReport> Masters => _masters ?? throw new InvalidOperationException("not started");

    /// <summary>Whether the masters' payloads are kept in <see cref="Received"/> (off in the benchmarks, where nobody reads them).</summary>
    public bool KeepPayloads { get; set; } = true;

    public Task<WorkerReport> HeartbeatFromMasterAsync(string masterId, MasterPayload payload, TimeSpan timeout) =>
        Task.FromResult(Masters.RequestHeartbeat(masterId, payload));

    public void NotifyHeartbeatTimeout(string targetId) => TimedOut.Add(targetId);

    public void NotifyTargetUnreachable(string targetId) => TimedOut.Add(targetId);

    public void ReportPayload(string targetId, MasterPayload payload)
    {
        if (KeepPayloads)
        {
            Received.Add(payload);
        }
    }

    public WorkerReport RetrievePayload(string targetId) => new(Name, freeSlots);

    protected override Task OnStartAsync()
    {
        _masters = heartbeats.CreateReceiver(this, Name, this);
        return Task.CompletedTask;
    }

    protected override Task OnStopAsync()
    {
        _masters?.Stop();
        return Task.CompletedTask;
    }
}
