using System.Runtime.InteropServices;
using Lottery.Contracts;

namespace Lottery.Journal;

/// <summary>One draw result as the journal keeps it: 32 bytes, little-endian, in file order (流水).</summary>
[StructLayout(LayoutKind.Sequential, Pack = 1)]
public readonly record struct JournalRecord(long RequestId, long User, long Sequence, int Activity, DrawOutcome Outcome, byte Prize, ushort Shakes)
{
    public const int Size = 32;

    public bool IsWin => Outcome == DrawOutcome.Win;

    public PrizeId PrizeId => new(Activity, Prize, Sequence);
}
