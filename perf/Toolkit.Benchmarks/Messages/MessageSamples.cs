namespace Toolkit.Benchmarks.Messages;

/// <summary>The fills of the `messages-5` workload: fixed values, so that every run encodes the same bytes.</summary>
public static class MessageSamples
{
    public const int SlotCount = 16;

    public const int ChunkSize = 64 * 1024;

    public static Ping Ping { get; } = new(Id: 1234567890123, Slot: 7, Urgent: true);

    public static Registration Registration { get; } = new(
        ResourceId: Guid.Parse("3f2504e0-4f89-41d3-9a0c-0305e82c3301"),
        Address: "rpc://10.1.2.3:6122/taskexecutor_42",
        Slots: 8,
        Labels: new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["datacenter"] = "eu-west-1a",
            ["rack-name"] = "r12-b03-c7",
            ["hardware"] = "epyc-7763x",
            ["pool-name"] = "batch-prod",
        });

    public static SlotReport SlotReport { get; } = new(
        ResourceId: Guid.Parse("9a1c6e52-7d0b-4c3e-8f21-5b6d2e9c4a70"),
        Slots: [.. Enumerable.Range(0, SlotCount).Select(CreateSlot)]);

    public static Draw Draw { get; } = new(
        UserId: 884_736_251_009,
        ActivityId: 20_240_211,
        Shakes: 3,
        At: new DateTimeOffset(2024, 2, 10, 20, 0, 5, 123, TimeSpan.FromHours(8)),
        Kind: DrawKind.Ar);

    public static Chunk Chunk { get; } = new(Offset: 3L * ChunkSize, Data: CreateChunkData());

    // Half the slots allocated (an allocation id and a 32-char job id), half free (both null).
    private static SlotStatus CreateSlot(int index)
    {
        if (index % 2 == 1)
        {
            return new SlotStatus(index, AllocationId: null, JobId: null, new ResourceProfile(Cpu: 1.0, MemoryMb: 2048));
        }

        Guid allocation = new(0x51070000 + index, 0x1d2e, 0x4f3a, 0x9b, 0x4c, 0x21, 0x7e, 0x0a, 0x53, 0x88, (byte)index);
        Guid job = new(0x70b00000 + index, 0x2a4c, 0x4e1f, 0x83, 0x1d, 0x6a, 0x92, 0x3c, 0x05, 0xe7, (byte)index);
        return new SlotStatus(index, allocation, job.ToString("N"), new ResourceProfile(Cpu: 1.5, MemoryMb: 4096));
    }

    private static byte[] CreateChunkData()
    {
        byte[] data = new byte[ChunkSize];
        // A fixed seed: random (incompressible) content, identical in every run and process.
#pragma warning disable CA5394 // Benchmark payload, not security.
        new Random(20240210).NextBytes(data);
#pragma warning restore CA5394
        return data;
    }
}
