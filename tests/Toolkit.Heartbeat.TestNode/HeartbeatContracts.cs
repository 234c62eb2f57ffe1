using Toolkit.Rpc;

namespace Toolkit.Heartbeat.TestNode;

/// <summary>What a master sends with each heartbeat request.</summary>
public sealed record MasterPayload(string MasterId, long Sequence);

/// <summary>What a worker answers with.</summary>
public sealed record WorkerReport(string WorkerId, int FreeSlots);

/// <summary>A worker, as a master sees it: the heartbeat request is a call whose reply is the worker's heartbeat.</summary>
[RpcGateway]
public interface IWorkerGateway
{
    Task<WorkerReport> HeartbeatFromMasterAsync(string masterId, MasterPayload payload, [RpcTimeout] TimeSpan timeout);
}
