namespace Lottery.Contracts;

/// <summary>Cash goes through the fast lane; coupons through the slow, rate-limited lane.</summary>
public enum PrizeKind
{
    Cash,
    Coupon,
}

/// <param name="Name">What the user sees.</param>
/// <param name="Kind">Which delivery lane.</param>
/// <param name="Partner">The business system that credits it (its rate limit applies in the slow lane).</param>
/// <param name="AmountCents">The value credited.</param>
/// <param name="Quota">How many may be issued over the whole activity.</param>
public sealed record PrizePlan(string Name, PrizeKind Kind, string Partner, long AmountCents, int Quota);

/// <summary>A partner's delivery capacity, as the seed's 黄钻 4w/s, 京东 2k/s: the slow lane never exceeds it.</summary>
public sealed record PartnerPlan(string Name, int PerSecond);

/// <summary>
/// One timed activity (一场活动): its prizes and their quotas, paced in 100 ms slices. Slice <c>k</c> covers
/// <c>[Start + k·100 ms, Start + (k+1)·100 ms)</c> and may issue no more than its quota, so prizes flow evenly through
/// every second instead of going in the first instants: the even share <see cref="SliceQuota"/>, adjusted by the store
/// as <see cref="PacedSliceQuota"/> when earlier slices fell short.
/// </summary>
public sealed record ActivityPlan(
    int Id,
    long StartUnixMs,
    int DurationMs,
    int WinLimit,
    double WinChancePerShake,
    PrizePlan[] Prizes,
    PartnerPlan[] Partners)
{
    public const int SliceMs = 100;

    public int SliceCount => DurationMs / SliceMs;

    public long EndUnixMs => StartUnixMs + DurationMs;

    public long TotalQuota => Prizes.Sum(prize => (long)prize.Quota);

    /// <summary>The slice running at <paramref name="unixMs"/>: -1 before the start, <see cref="SliceCount"/> or more after the end.</summary>
    public int SliceAt(long unixMs) => unixMs < StartUnixMs ? -1 : (int)Math.Min(int.MaxValue, (unixMs - StartUnixMs) / SliceMs);

    /// <summary>How many of <paramref name="prize"/> may have been issued by the end of <paramref name="slice"/>.</summary>
    public long Released(int prize, int slice)
    {
        if (slice < 0)
        {
            return 0;
        }

        int quota = Prizes[prize].Quota;
        return slice >= SliceCount - 1 ? quota : (long)quota * (slice + 1) / SliceCount;
    }

    /// <summary>How many of <paramref name="prize"/> slice <paramref name="slice"/> may issue: its even share.</summary>
    public long SliceQuota(int prize, int slice) => Released(prize, slice) - Released(prize, slice - 1);

    /// <summary>
    /// The quota of slice <paramref name="slice"/> when <paramref name="issued"/> of a prize's <paramref name="quota"/>
    /// were issued before it: the rest spread evenly over the slices left (rounded up; the last slice takes the rest).
    /// With demand all along it equals <see cref="SliceQuota"/> give or take one; after a stall the shortfall spreads
    /// over the remaining slices instead of bursting.
    /// </summary>
    public static long PacedSliceQuota(long quota, long issued, int slice, int sliceCount)
    {
        long left = Math.Max(1, sliceCount - slice);
        long remaining = Math.Max(0, quota - issued);
        return (remaining + left - 1) / left;
    }

    public PartnerPlan Partner(string name) => Partners.First(partner => partner.Name == name);

    /// <summary>
    /// The default activity: a cash prize and three partners' coupons, each released at a steady rate per second. The
    /// partners' capacities follow the seed's proportions (黄钻 4w/s, 京东 2k/s), scaled to one machine.
    /// </summary>
    public static ActivityPlan Default(long startUnixMs, int durationMs) => new(
        Id: 1,
        StartUnixMs: startUnixMs,
        DurationMs: durationMs,
        WinLimit: 5,
        WinChancePerShake: 0.02,
        Prizes:
        [
            new PrizePlan("cash 1.88", PrizeKind.Cash, "wallet", 188, QuotaAt(300, durationMs)),
            new PrizePlan("yellow diamond 7 days", PrizeKind.Coupon, "yellowdiamond", 1000, QuotaAt(200, durationMs)),
            new PrizePlan("jd coupon 10", PrizeKind.Coupon, "jd", 1000, QuotaAt(100, durationMs)),
            new PrizePlan("didi ride 5", PrizeKind.Coupon, "didi", 500, QuotaAt(100, durationMs)),
        ],
        Partners:
        [
            new PartnerPlan("wallet", 100_000),
            new PartnerPlan("yellowdiamond", 4_000),
            new PartnerPlan("jd", 200),
            new PartnerPlan("didi", 400),
        ]);

    private static int QuotaAt(int perSecond, int durationMs) => (int)((long)perSecond * durationMs / 1000);
}
