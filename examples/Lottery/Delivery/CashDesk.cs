using Lottery.Contracts;
using Toolkit.Rpc;

namespace Lottery.Delivery;

/// <summary>
/// The fast lane (快慢分离): cash is credited to the wallet at once, without a queue, so that slow coupon partners never
/// delay it. A failure is retried a few times with backoff; what still fails, reconciliation re-drives.
/// </summary>
public sealed class CashDesk(PrizeDeliverer deliverer, int attempts = 4) : RpcEndpoint, ICashDeskGateway
{
    private long _received;

    public long Received => _received;

    public void Deliver(WinBatch wins)
    {
        _received += wins.Wins.Length;
        foreach (PrizeWin win in wins.Wins)
        {
            _ = DeliverWithRetriesAsync(win);
        }
    }

    public async Task<int> RedriveAsync(WinBatch wins, TimeSpan timeout)
    {
        bool[] results = await Task.WhenAll(wins.Wins.Select(DeliverWithRetriesAsync));
        return results.Count(delivered => delivered);
    }

    private async Task<bool> DeliverWithRetriesAsync(PrizeWin win)
    {
        for (int attempt = 1; attempt <= attempts; attempt++)
        {
            if (await deliverer.DeliverAsync(win, Name))
            {
                return true;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(20 << attempt), TimeProvider);
        }

        return false;
    }
}
