using Toolkit.Rpc;

namespace QuickStart;

/// <summary>What a resource manager offers task executors.</summary>
[RpcGateway]
public interface IResourceManagerGateway
{
    /// <summary>Registers an executor; the registration carries the executor's own gateway so the manager can call back.</summary>
    Task<RegistrationResponse> RegisterAsync(ExecutorRegistration registration, [RpcTimeout] TimeSpan timeout);

    /// <summary>One-way: the executor reports its slots.</summary>
    void Heartbeat(string executorId, SlotReport report);

    /// <summary>How many heartbeats the manager has heard.</summary>
    ValueTask<int> HeartbeatsAsync();
}

/// <summary>What a task executor offers the resource manager.</summary>
[RpcGateway]
public interface ITaskExecutorGateway
{
    /// <summary>Asks the executor to reserve a slot for a job.</summary>
    Task<bool> ReserveSlotAsync(string jobId, int slot, CancellationToken cancellation);
}

public sealed record ExecutorRegistration(string ExecutorId, int Slots, ITaskExecutorGateway Self);

public sealed record SlotReport(Guid ResourceId, SlotStatus[] Slots);

public sealed record SlotStatus(int Index, string? JobId);

/// <summary>A union: each case travels with its tag.</summary>
[RpcUnion(0, typeof(Accepted))]
[RpcUnion(1, typeof(Rejected))]
public abstract record RegistrationResponse;

public sealed record Accepted(Guid RegistrationId, DateTimeOffset At) : RegistrationResponse;

public sealed record Rejected(string Reason) : RegistrationResponse;
