using Lottery.Contracts;
using Lottery.Ledger;

namespace Lottery.Journal;

/// <summary>
/// Ships a node's journal to the ledger (定期同步到远程流水系统): every interval, the fsynced range not yet shipped,
/// as one transaction per range. It starts where the ledger says the node's last range ended, so a restarted node
/// neither skips nor repeats a range.
/// </summary>
public sealed class JournalShipper : IAsyncDisposable
{
    private const long MaxRangeBytes = 8L << 20;

    private readonly string _node;
    private readonly string _path;
    private readonly Func<long> _committedLength;
    private readonly ILedger _ledger;
    private readonly TimeSpan _interval;
    private readonly CancellationTokenSource _stop = new();
    private readonly SemaphoreSlim _gate = new(1, 1);
    private Task? _loop;
    private long _shipped = -1;

    public JournalShipper(string node, string path, Func<long> committedLength, ILedger ledger, TimeSpan interval)
    {
        _node = node;
        _path = path;
        _committedLength = committedLength;
        _ledger = ledger;
        _interval = interval;
    }

    public long ShippedTo => Volatile.Read(ref _shipped);

    public Exception? LastError { get; private set; }

    public void Start() => _loop = Task.Run(LoopAsync);

    /// <summary>Ships everything committed so far; returns the offset shipped to.</summary>
    public async Task<long> ShipNowAsync()
    {
        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            if (_shipped < 0)
            {
                Volatile.Write(ref _shipped, await _ledger.ShippedOffsetAsync(_node).ConfigureAwait(false));
            }

            long committed = _committedLength();
            while (_shipped < committed)
            {
                long from = _shipped;
                long draws = 0, wins = 0, limit = 0;
                List<LedgerWin> rows = [];
                void Count(long blockEnd, ReadOnlySpan<JournalRecord> records)
                {
                    foreach (JournalRecord record in records)
                    {
                        draws++;
                        if (record.Outcome == DrawOutcome.Win)
                        {
                            wins++;
                            rows.Add(new LedgerWin(record.PrizeId, record.User, _node, record.RequestId, "journal"));
                        }
                        else if (record.Outcome == DrawOutcome.LimitReached)
                        {
                            limit++;
                        }
                    }
                }

                long end = DrawJournal.Scan(_path, from, Math.Min(committed, from + MaxRangeBytes), Count);
                if (end == from)
                {
                    // A single block larger than the range cap: take it whole.
                    end = DrawJournal.Scan(_path, from, committed, Count);
                    if (end == from)
                    {
                        throw new InvalidDataException($"Journal {_path} has no whole block at offset {from} though {committed} bytes are committed.");
                    }
                }

                await _ledger.ShipAsync(new Shipment(_node, from, end, draws, wins, limit, rows)).ConfigureAwait(false);
                Volatile.Write(ref _shipped, end);
            }

            return _shipped;
        }
        finally
        {
            _gate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        if (_loop is { } loop)
        {
            await loop.ConfigureAwait(false);
        }

        _stop.Dispose();
    }

    private async Task LoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(_interval, _stop.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            try
            {
                await ShipNowAsync().ConfigureAwait(false);
                LastError = null;
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                // The ledger may be away: the range stays in the journal and goes with the next round.
                LastError = exception;
            }
        }
    }
}
