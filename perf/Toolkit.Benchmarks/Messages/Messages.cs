namespace Toolkit.Benchmarks.Messages;

// The five shapes of the `messages-5` workload (docs/performance.md#messages-5), exactly as specified there.

public sealed record Ping(long Id, int Slot, bool Urgent);

public sealed record Registration(Guid ResourceId, string Address, int Slots, Dictionary<string, string> Labels);

public sealed record SlotReport(Guid ResourceId, SlotStatus[] Slots);

public sealed record SlotStatus(int Index, Guid? AllocationId, string? JobId, ResourceProfile Profile);

public sealed record ResourceProfile(double Cpu, long MemoryMb);

public sealed record Draw(long UserId, int ActivityId, int Shakes, DateTimeOffset At, DrawKind Kind);

public enum DrawKind
{
    Shake,
    Ar,
    Personal,
}

public sealed record Chunk(long Offset, ReadOnlyMemory<byte> Data);
