using Lottery.Contracts;
using Lottery.Store;

namespace Lottery.Delivery;

/// <summary>
/// Delivers one prize exactly once however often it is asked to (保证一个奖品只发放一次): it checks the delivery status
/// first (发货状态存储), asks the partner to credit it under its prize id (the partner's idempotency key), and marks it
/// delivered only after the partner said it is credited. A crash between the credit and the mark leaves the prize
/// undelivered in the status; the redelivery that follows finds the partner's "already credited" and marks it then.
/// </summary>
public sealed class PrizeDeliverer(ActivityPlan plan, ILotteryStore store, IPartner partner)
{
    private long _delivered;
    private long _skipped;
    private long _failed;

    public long Delivered => Interlocked.Read(ref _delivered);

    /// <summary>Requests for prizes already delivered: retries and redeliveries absorbed by the status check.</summary>
    public long Skipped => Interlocked.Read(ref _skipped);

    public long Failed => Interlocked.Read(ref _failed);

    /// <summary>True once the prize is delivered (now or before); false when the partner failed (try again later).</summary>
    public async Task<bool> DeliverAsync(PrizeWin win, string by)
    {
        if (await store.IsDeliveredAsync(win.Id).ConfigureAwait(false))
        {
            Interlocked.Increment(ref _skipped);
            return true;
        }

        try
        {
            await partner.CreditAsync(plan.Prizes[win.Prize].Partner, win).ConfigureAwait(false);
        }
        catch (PartnerException)
        {
            Interlocked.Increment(ref _failed);
            return false;
        }

        if (await store.TryMarkDeliveredAsync(win.Id, by).ConfigureAwait(false))
        {
            Interlocked.Increment(ref _delivered);
        }
        else
        {
            Interlocked.Increment(ref _skipped);
        }

        return true;
    }
}
