using MiniCluster.Contracts;

namespace MiniCluster.Master;

/// <summary>A task executor as the resource manager knows it: its gateway, its slots (the job each is given to) and its last report.</summary>
internal sealed class RegisteredExecutor(string id, string? address, ITaskExecutorGateway gateway, string?[] slotJobs, DateTimeOffset registeredAt)
{
    public string Id { get; } = id;

    public string? Address { get; } = address;

    public ITaskExecutorGateway Gateway { get; } = gateway;

    /// <summary>The job each slot is allocated to, or null when free.</summary>
    public string?[] SlotJobs { get; } = slotJobs;

    public DateTimeOffset RegisteredAt { get; } = registeredAt;

    public SlotReport? LastReport { get; set; }

    public int FreeSlots => SlotJobs.Count(job => job is null);

    /// <summary>The task the executor last reported in slot <paramref name="index"/>.</summary>
    public string? TaskIn(int index) => LastReport?.Slots.FirstOrDefault(slot => slot.Index == index)?.TaskId;
}
