using Lottery.Contracts;

namespace Lottery.Ledger;

/// <summary>The ledger in memory, for <c>dotnet run</c> with nothing installed and for tests.</summary>
public sealed class InProcessLedger : ILedger
{
    private readonly Lock _lock = new();
    private readonly Dictionary<(string Node, long From), Shipment> _shipments = [];
    private readonly Dictionary<PrizeId, LedgerWin> _wins = [];

    public Task<long> ShippedOffsetAsync(string node)
    {
        lock (_lock)
        {
            return Task.FromResult(_shipments.Values.Where(s => s.Node == node).Select(s => s.To).DefaultIfEmpty(0).Max());
        }
    }

    public Task ShipAsync(Shipment shipment)
    {
        lock (_lock)
        {
            if (_shipments.TryAdd((shipment.Node, shipment.From), shipment with { WinRows = [] }))
            {
                foreach (LedgerWin win in shipment.WinRows)
                {
                    _wins.TryAdd(win.Id, win);
                }
            }
        }

        return Task.CompletedTask;
    }

    public Task AddWinsAsync(IReadOnlyList<LedgerWin> wins)
    {
        lock (_lock)
        {
            foreach (LedgerWin win in wins)
            {
                _wins.TryAdd(win.Id, win);
            }
        }

        return Task.CompletedTask;
    }

    public Task<LedgerSnapshot> ReadAsync(int activity)
    {
        lock (_lock)
        {
            Dictionary<string, NodeShipments> nodes = _shipments.Values.GroupBy(s => s.Node).ToDictionary(
                g => g.Key,
                g => new NodeShipments(g.Max(s => s.To), g.Sum(s => s.Draws), g.Sum(s => s.Wins), g.Sum(s => s.LimitReached), g.Count()));
            return Task.FromResult(new LedgerSnapshot([.. _wins.Values.Where(w => w.Id.Activity == activity)], nodes));
        }
    }
}
