using Lottery.Contracts;

namespace Lottery.Store;

/// <summary>
/// Where prize counters, issued prizes, users' wins and delivery status live: Redis in production
/// (<see cref="RedisLotteryStore"/>), memory by default (<see cref="InProcessLotteryStore"/>). Every implementation
/// issues a prize only through a conditional atomic counter, so no interleaving of nodes can over-issue.
/// </summary>
public interface ILotteryStore
{
    /// <summary>
    /// Reserves one of the user's wins (refused at <see cref="IssueAttempt.WinLimit"/>), then tries the prizes in the
    /// attempt's order: each is issued only while its total is under its quota and the slice's count under the slice's
    /// quota; the first that is issued wins. If none is, the reservation is returned. A slice's quota is fixed by the
    /// first attempt in it: what is left of the prize's quota spread evenly over the slices left (see
    /// <see cref="ActivityPlan.PacedSliceQuota"/>), so a slice that issued less (a stall) leaves its share to the rest
    /// of the activity instead of to a burst.
    /// </summary>
    ValueTask<IssueResult> TryIssueAsync(IssueAttempt attempt);

    /// <summary>Each prize's quota per slice as the store fixed it ([prize][slice]); -1 for a slice nobody drew in.</summary>
    Task<long[][]> ReadSliceQuotasAsync(ActivityPlan plan);

    /// <summary>How many wins each user holds in the activity (what a node's cache loads on a miss).</summary>
    Task<int[]> LoadWinCountsAsync(int activity, long[] users);

    /// <summary>Every issued prize of the activity, as the store recorded it when it counted it.</summary>
    Task<IReadOnlyList<IssuedPrize>> ReadIssuedAsync(ActivityPlan plan);

    /// <summary>How many wins each user of the activity holds (only users with at least one).</summary>
    Task<IReadOnlyDictionary<long, int>> ReadUserWinsAsync(ActivityPlan plan);

    /// <summary>Marks a prize delivered, once: false when it already was (then nothing changes).</summary>
    Task<bool> TryMarkDeliveredAsync(PrizeId prize, string by);

    Task<bool> IsDeliveredAsync(PrizeId prize);

    /// <summary>Every prize of the activity marked delivered.</summary>
    Task<IReadOnlySet<PrizeId>> ReadDeliveredAsync(ActivityPlan plan);
}

/// <param name="Prizes">Prize indexes in the order to try.</param>
/// <param name="Quotas">Per entry of <paramref name="Prizes"/>: the prize's quota over the whole activity.</param>
/// <param name="SliceCount">The activity's number of slices.</param>
public sealed record IssueAttempt(int Activity, long User, string Node, long RequestId, int Slice, int SliceCount, int WinLimit, int[] Prizes, long[] Quotas);

public enum IssueStatus
{
    Issued,
    LimitReached,
    NoPrize,
}

/// <param name="Sequence">The issued prize's instance number (1 for the first of its kind).</param>
/// <param name="UserWins">The user's wins after the attempt, as the store counts them.</param>
/// <param name="SliceFullMask">Bit per prize index found full for this slice.</param>
public readonly record struct IssueResult(IssueStatus Status, int Prize, long Sequence, int UserWins, int SliceFullMask);

/// <summary>A prize as the store issued it.</summary>
public sealed record IssuedPrize(PrizeId Id, long User, string Node, int Slice, long RequestId);
