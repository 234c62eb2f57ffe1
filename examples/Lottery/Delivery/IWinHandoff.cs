using Lottery.Contracts;

namespace Lottery.Delivery;

/// <summary>Where a node sends the wins it has journaled: cash to the fast lane, coupons to the slow lane's queue.</summary>
public interface IWinHandoff
{
    /// <summary>Never waits: delivery is asynchronous (异步削峰); what fails here reconciliation re-drives.</summary>
    void Handoff(IReadOnlyList<PrizeWin> wins);
}

/// <summary>Splits wins by lane: cash by a one-way call to the cash desk, coupons into their partner's stream.</summary>
public sealed class LaneHandoff(ActivityPlan plan, ICashDeskGateway cashDesk, IDeliveryQueue queue, Action<Exception>? onError = null) : IWinHandoff
{
    public void Handoff(IReadOnlyList<PrizeWin> wins)
    {
        List<PrizeWin>? cash = null;
        Dictionary<string, List<PrizeWin>>? coupons = null;
        foreach (PrizeWin win in wins)
        {
            PrizePlan prize = plan.Prizes[win.Prize];
            if (prize.Kind == PrizeKind.Cash)
            {
                (cash ??= []).Add(win);
            }
            else
            {
                coupons ??= [];
                if (!coupons.TryGetValue(prize.Partner, out List<PrizeWin>? list))
                {
                    coupons[prize.Partner] = list = [];
                }

                list.Add(win);
            }
        }

        if (cash is not null)
        {
            cashDesk.Deliver(new WinBatch([.. cash]));
        }

        if (coupons is not null)
        {
            foreach ((string partner, List<PrizeWin> list) in coupons)
            {
                _ = EnqueueAsync(partner, list);
            }
        }
    }

    private async Task EnqueueAsync(string partner, List<PrizeWin> wins)
    {
        try
        {
            await queue.EnqueueAsync(partner, wins).ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            onError?.Invoke(exception);
        }
    }
}
