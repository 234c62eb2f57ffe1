using Lottery.Contracts;

namespace Lottery.Ledger;

/// <summary>
/// The remote ledger (远程流水系统) that nodes ship their journals to and where reconciliation runs: PostgreSQL in
/// production (<see cref="PostgresLedger"/>), memory by default (<see cref="InProcessLedger"/>). Wins are kept one row
/// each; the far more numerous other results as counts per shipped journal range, so a range is accounted for whole.
/// </summary>
public interface ILedger
{
    /// <summary>Where the node's next shipment starts: the end of the last range the ledger holds.</summary>
    Task<long> ShippedOffsetAsync(string node);

    /// <summary>Stores a journal range and its wins in one transaction; a range already stored is ignored.</summary>
    Task ShipAsync(Shipment shipment);

    /// <summary>Adds wins found elsewhere than in a journal (reconciliation's recoveries); existing prize ids are kept.</summary>
    Task AddWinsAsync(IReadOnlyList<LedgerWin> wins);

    Task<LedgerSnapshot> ReadAsync(int activity);
}

/// <param name="From">The journal offset the range starts at (a block start).</param>
/// <param name="To">Where it ends (a block end).</param>
public sealed record Shipment(string Node, long From, long To, long Draws, long Wins, long LimitReached, IReadOnlyList<LedgerWin> WinRows);

/// <param name="Source"><c>journal</c>, or <c>store</c> for a win reconciliation recovered from the store.</param>
public sealed record LedgerWin(PrizeId Id, long User, string Node, long RequestId, string Source);

public sealed record NodeShipments(long ShippedTo, long Draws, long Wins, long LimitReached, int Ranges);

public sealed record LedgerSnapshot(IReadOnlyList<LedgerWin> Wins, IReadOnlyDictionary<string, NodeShipments> Nodes);
