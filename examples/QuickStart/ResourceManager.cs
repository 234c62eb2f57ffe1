using Toolkit.Rpc;

namespace QuickStart;

/// <summary>Keeps executors in plain fields: every call runs on its main thread, one at a time, so no locks.</summary>
public sealed class ResourceManager(Action<string> log) : RpcEndpoint, IResourceManagerGateway
{
    private readonly Dictionary<string, ExecutorRegistration> _executors = [];
    private int _heartbeats;

    public async Task<RegistrationResponse> RegisterAsync(ExecutorRegistration registration, TimeSpan timeout)
    {
        if (registration.Slots <= 0)
        {
            return new Rejected($"executor {registration.ExecutorId} offers no slots");
        }

        log($"resource manager: {registration.ExecutorId} registers with {registration.Slots} slots (timeout {timeout.TotalSeconds:0} s)");
        // Call back the executor through the gateway it sent inside its registration. While this awaits, other
        // calls may run on the manager's main thread; the code after the await runs there again.
        bool reserved = await registration.Self.ReserveSlotAsync("job-1", 0, CancellationToken.None);
        ValidateRunsInMainThread();
        log($"resource manager: slot 0 of {registration.ExecutorId} reserved for job-1: {reserved}");
        _executors[registration.ExecutorId] = registration;
        return new Accepted(Guid.NewGuid(), TimeProvider.GetUtcNow());
    }

    public void Heartbeat(string executorId, SlotReport report)
    {
        _heartbeats++;
        int busy = report.Slots.Count(slot => slot.JobId is not null);
        log($"resource manager: heartbeat {_heartbeats} from {executorId}: {busy}/{report.Slots.Length} slots busy");
    }

    public ValueTask<int> HeartbeatsAsync() => new(_heartbeats);
}
