namespace Toolkit.Rpc.Fuzz;

/// <summary>The fuzz targets by name, and the bounds every run of one is held to.</summary>
public static class FuzzTargets
{
    /// <summary>What one input may allocate whatever its size (first use of a type, error messages).</summary>
    public const long AllocationAllowance = 4 * 1024 * 1024;

    /// <summary>
    /// What one input may allocate per byte besides: decoded values (a null list element is one byte in, a reference
    /// out), their encoding written twice, a rejected request's exception. An allocation sized by a length claim
    /// rather than by the bytes that arrived is far over.
    /// </summary>
    public const long AllocationPerInputByte = 256;

    /// <summary>Each target returns whether it read the input as valid (false: rejected, or incomplete).</summary>
    public static IReadOnlyDictionary<string, Func<ReadOnlyMemory<byte>, bool>> ByName { get; } = new Dictionary<string, Func<ReadOnlyMemory<byte>, bool>>(StringComparer.Ordinal)
    {
        ["frames"] = FrameTarget.Run,
        ["handshake"] = HandshakeTarget.Run,
        ["values"] = ValueTarget.Run,
    };

    /// <summary>
    /// Runs <paramref name="target"/> on <paramref name="input"/>. Only a finding escapes: an exception that the library
    /// does not declare as its rejection, or a <see cref="FuzzContractViolation"/>. Returns whether the input was valid.
    /// </summary>
    public static bool Run(string target, ReadOnlyMemory<byte> input)
    {
        long before = GC.GetAllocatedBytesForCurrentThread();
        bool valid = ByName[target](input);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        long budget = AllocationAllowance + (AllocationPerInputByte * input.Length);
        if (allocated > budget)
        {
            throw new FuzzContractViolation($"{input.Length} bytes of input allocated {allocated:N0} bytes (budget {budget:N0})");
        }

        return valid;
    }
}
