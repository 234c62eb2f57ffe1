using Lottery.Contracts;
using Lottery.Store;

namespace Lottery.Report;

/// <summary>
/// Prizes issued per 100 ms slice against the slice's quota as the store fixed it (the paced quota) and against the
/// even share of the plan, all prizes together, from the store's records. A slice nobody drew in counts its even share.
/// </summary>
public sealed record PacingAnalysis(
    long[] IssuedPerSlice,
    long[] QuotaPerSlice,
    long[] EvenSharePerSlice,
    int SlicesOverQuota,
    int SlicesAtQuota,
    double MeanAbsoluteError,
    long WorstUnder,
    long MostAboveEvenShare,
    long Issued,
    long Quota)
{
    public double IssuedShare => Quota == 0 ? 0 : (double)Issued / Quota;

    public static PacingAnalysis From(ActivityPlan plan, IReadOnlyList<IssuedPrize> issued, long[][] sliceQuotas)
    {
        int slices = plan.SliceCount;
        long[] perSlice = new long[slices];
        long[] quota = new long[slices];
        long[] even = new long[slices];
        foreach (IssuedPrize prize in issued)
        {
            perSlice[Math.Clamp(prize.Slice, 0, slices - 1)]++;
        }

        for (int slice = 0; slice < slices; slice++)
        {
            for (int prize = 0; prize < plan.Prizes.Length; prize++)
            {
                even[slice] += plan.SliceQuota(prize, slice);
                quota[slice] += sliceQuotas[prize][slice] >= 0 ? sliceQuotas[prize][slice] : plan.SliceQuota(prize, slice);
            }
        }

        int over = 0, at = 0;
        double error = 0;
        long worstUnder = 0, aboveEven = 0;
        for (int slice = 0; slice < slices; slice++)
        {
            long difference = perSlice[slice] - quota[slice];
            over += difference > 0 ? 1 : 0;
            at += difference == 0 ? 1 : 0;
            error += Math.Abs(difference);
            worstUnder = Math.Min(worstUnder, difference);
            aboveEven = Math.Max(aboveEven, perSlice[slice] - even[slice]);
        }

        return new PacingAnalysis(perSlice, quota, even, over, at, slices == 0 ? 0 : error / slices, worstUnder, aboveEven, issued.Count, plan.TotalQuota);
    }
}
