using Toolkit.Rpc;

namespace QuickStart;

/// <summary>Registers with the resource manager on start and heartbeats from a scheduled run on its main thread.</summary>
public sealed class TaskExecutor(string id, Action<string> log) : RpcEndpoint, ITaskExecutorGateway
{
    private readonly string?[] _slots = new string?[4];

    public int HeartbeatsSent { get; private set; }

    public Task<bool> ReserveSlotAsync(string jobId, int slot, CancellationToken cancellation)
    {
        if (_slots[slot] is not null)
        {
            return Task.FromResult(false);
        }

        _slots[slot] = jobId;
        log($"task executor {id}: reserved slot {slot} for {jobId}");
        return Task.FromResult(true);
    }

    /// <summary>Registers with <paramref name="manager"/>, then heartbeats <paramref name="count"/> times.</summary>
    public Task RunAsync(IResourceManagerGateway manager, int count) => CallAsync(async () =>
    {
        ExecutorRegistration registration = new(id, _slots.Length, GetSelfGateway<ITaskExecutorGateway>());
        RegistrationResponse response = await manager.RegisterAsync(registration, TimeSpan.FromSeconds(5));
        string outcome = response switch
        {
            Accepted accepted => $"accepted as {accepted.RegistrationId:N}",
            Rejected rejected => $"rejected: {rejected.Reason}",
            _ => "unexpected response",
        };
        log($"task executor {id}: {outcome}");
        for (int i = 0; i < count; i++)
        {
            await ScheduleRunAsync(() =>
            {
                HeartbeatsSent++;
                manager.Heartbeat(id, Report());
            }, TimeSpan.FromMilliseconds(20));
        }

        return true;
    }, TimeSpan.FromSeconds(30));

    private SlotReport Report() => new(Guid.Empty, [.. _slots.Select((job, index) => new SlotStatus(index, job))]);
}
