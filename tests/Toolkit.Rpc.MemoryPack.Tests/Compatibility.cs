using MemoryPack;
using Toolkit.Rpc.Tests.Serialization;

namespace Toolkit.Rpc.MemoryPack.Tests;

/// <summary>Writes a value with Toolkit and with MemoryPack, compares the bytes and has each side read the other's.</summary>
public static class Compatibility
{
    /// <summary>Asserts that both write the same bytes and that each reads the other's bytes back to a value equal to <paramref name="value"/>.</summary>
    public static void AssertSameBytesBothWays<T>(T value, string label)
    {
        byte[] toolkit = RpcSerializer.Serialize(value);
        byte[] memoryPack = MemoryPackSerializer.Serialize(value);
        AssertSameBytes(memoryPack, toolkit, label);
        AssertEachReadsTheOther(value, toolkit, memoryPack, label);
    }

    /// <summary>Asserts that each side reads the other's bytes back to a value equal to <paramref name="value"/>.</summary>
    public static void AssertEachReadsTheOther<T>(T value, byte[] toolkit, byte[] memoryPack, string label)
    {
        StructuralEquality.AssertEqual(value, RpcSerializer.Deserialize<T>(memoryPack), $"{label}, read by Toolkit from MemoryPack's bytes");
        StructuralEquality.AssertEqual(value, MemoryPackSerializer.Deserialize<T>(toolkit), $"{label}, read by MemoryPack from Toolkit's bytes");
    }

    /// <summary>Asserts equal bytes, naming the first offset where they differ.</summary>
    public static void AssertSameBytes(byte[] memoryPack, byte[] toolkit, string label)
    {
        int mismatch = memoryPack.AsSpan().CommonPrefixLength(toolkit);
        if (mismatch == memoryPack.Length && mismatch == toolkit.Length)
        {
            return;
        }

        Assert.Fail($"{label}: the bytes differ from offset {mismatch} (MemoryPack {memoryPack.Length} bytes, Toolkit {toolkit.Length}):\n" +
            $"  MemoryPack {Hex(memoryPack, mismatch)}\n  Toolkit    {Hex(toolkit, mismatch)}");
    }

    private static string Hex(byte[] bytes, int from)
    {
        int start = Math.Max(0, from - 8);
        int end = Math.Min(bytes.Length, from + 24);
        return $"…[{start}] {Convert.ToHexString(bytes, start, end - start)}{(end < bytes.Length ? "…" : "")}";
    }
}
