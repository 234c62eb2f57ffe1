using Lottery.Contracts;
using Lottery.Delivery;
using Lottery.Journal;
using Lottery.Ledger;
using Lottery.Store;

namespace Lottery.Reconciliation;

/// <summary>
/// Reconciliation (对账): compares the journals, the ledger, the store's issued prizes and users' wins, the delivery
/// status and the partners' books; recovers into the ledger what the store issued but no journal holds; re-drives
/// every issued prize not yet delivered (重做) until all are delivered or time runs out; then checks every invariant.
/// </summary>
public sealed class Reconciler(
    ActivityPlan plan,
    ILotteryStore store,
    ILedger ledger,
    IPartnerBook book,
    ICashDeskGateway cashDesk,
    IDeliveryQueue queue,
    TimeProvider clock)
{
    /// <param name="journals">Node id → journal file, for the nodes whose journals are at hand.</param>
    /// <param name="settle">How long re-driven deliveries may take.</param>
    public async Task<ReconciliationReport> RunAsync(IReadOnlyDictionary<string, string> journals, TimeSpan settle, CancellationToken cancellation = default)
    {
        List<Check> checks = [];
        IReadOnlyList<IssuedPrize> issued = await store.ReadIssuedAsync(plan).ConfigureAwait(false);
        Dictionary<PrizeId, IssuedPrize> issuedById = [];
        int duplicateIssues = 0;
        foreach (IssuedPrize prize in issued)
        {
            if (!issuedById.TryAdd(prize.Id, prize))
            {
                duplicateIssues++;
            }
        }

        // Quotas: in total, and per slice against the quota the store fixed for it.
        long[][] sliceQuotas = await store.ReadSliceQuotasAsync(plan).ConfigureAwait(false);
        for (int p = 0; p < plan.Prizes.Length; p++)
        {
            int prize = p;
            List<IssuedPrize> mine = [.. issued.Where(i => i.Id.Prize == prize)];
            checks.Add(Check.AtMost($"issued ≤ quota: {plan.Prizes[p].Name}", mine.Count, plan.Prizes[p].Quota));
            long[] perSlice = new long[plan.SliceCount];
            foreach (IssuedPrize i in mine)
            {
                perSlice[Math.Clamp(i.Slice, 0, plan.SliceCount - 1)]++;
            }

            int overSlices = 0;
            for (int slice = 0; slice < plan.SliceCount; slice++)
            {
                overSlices += perSlice[slice] > Math.Max(0, sliceQuotas[p][slice]) ? 1 : 0;
            }

            checks.Add(Check.Equal($"100 ms slices over their quota: {plan.Prizes[p].Name}", overSlices, 0));
            long expected = mine.Count == 0 ? 0 : mine.Max(i => i.Id.Sequence);
            checks.Add(Check.Equal($"prize ids 1..n without gaps: {plan.Prizes[p].Name}", mine.Select(i => i.Id.Sequence).Distinct().Count(), expected));
        }

        checks.Add(Check.Equal("prize ids issued twice", duplicateIssues, 0));

        // Users' wins: the limit, and the store's per-user counts against the prizes it issued.
        Dictionary<long, int> winsByUser = issued.GroupBy(i => i.User).ToDictionary(g => g.Key, g => g.Count());
        checks.Add(Check.Equal($"users over the limit of {plan.WinLimit} wins", winsByUser.Count(entry => entry.Value > plan.WinLimit), 0));
        IReadOnlyDictionary<long, int> userWins = await store.ReadUserWinsAsync(plan).ConfigureAwait(false);
        int userMismatch = winsByUser.Count(entry => userWins.GetValueOrDefault(entry.Key) < entry.Value)
            + userWins.Count(entry => entry.Value > plan.WinLimit);
        checks.Add(Check.Equal("users whose win count in the store disagrees with their prizes", userMismatch, 0));

        // Journals against the ledger.
        JournalTotals journalTotals = ReadJournals(journals);
        LedgerSnapshot before = await ledger.ReadAsync(plan.Id).ConfigureAwait(false);
        foreach ((string node, NodeJournal journal) in journalTotals.Nodes)
        {
            NodeShipments shipped = before.Nodes.GetValueOrDefault(node) ?? new NodeShipments(0, 0, 0, 0, 0);
            checks.Add(Check.Equal($"journal {node}: bytes shipped to the ledger", shipped.ShippedTo, journal.Length));
            checks.Add(Check.Equal($"journal {node}: draws in the ledger", shipped.Draws, journal.Draws));
            checks.Add(Check.Equal($"journal {node}: wins in the ledger", shipped.Wins, journal.Wins));
        }

        HashSet<PrizeId> ledgerIds = [.. before.Wins.Select(w => w.Id)];
        checks.Add(Check.Equal("journal wins missing from the ledger", journalTotals.Wins.Count(id => !ledgerIds.Contains(id)), 0));
        checks.Add(Check.Equal("journal wins the store never issued", journalTotals.Wins.Count(id => !issuedById.ContainsKey(id)), 0));
        checks.Add(Check.Equal("prize ids journaled twice", journalTotals.DuplicateWins, 0));
        checks.Add(Check.Equal("ledger wins the store never issued", before.Wins.Count(w => !issuedById.ContainsKey(w.Id)), 0));

        // Recover: a node that died between the store's counter and its fsync left a prize issued (the user sees it)
        // that no journal holds. The ledger takes it from the store, and it is delivered like any other.
        List<LedgerWin> recovered = [.. issued.Where(i => !ledgerIds.Contains(i.Id)).Select(i => new LedgerWin(i.Id, i.User, i.Node, i.RequestId, "store"))];
        if (recovered.Count > 0)
        {
            await ledger.AddWinsAsync(recovered).ConfigureAwait(false);
        }

        LedgerSnapshot after = await ledger.ReadAsync(plan.Id).ConfigureAwait(false);
        checks.Add(Check.Equal("ledger wins = issued", after.Wins.Count, issuedById.Count));

        // Deliveries: re-drive until every issued prize is delivered.
        (int redriven, int rounds, IReadOnlySet<PrizeId> delivered) = await RedriveAsync(issuedById, settle, cancellation).ConfigureAwait(false);
        checks.Add(Check.Equal("delivered = issued", delivered.Count(issuedById.ContainsKey), issuedById.Count));
        checks.Add(Check.Equal("deliveries of prizes never issued", delivered.Count(id => !issuedById.ContainsKey(id)), 0));

        // Partners' books: every issued prize credited once, nothing else credited.
        long credited = 0, requests = 0, strayCredits = 0, missingCredits = 0;
        foreach (PartnerPlan partner in plan.Partners)
        {
            PartnerBookSnapshot snapshot = await book.ReadAsync(partner.Name).ConfigureAwait(false);
            HashSet<PrizeId> expected = [.. issuedById.Keys.Where(id => plan.Prizes[id.Prize].Partner == partner.Name)];
            credited += snapshot.Credited.Count(id => id.Activity == plan.Id);
            requests += snapshot.Requests;
            strayCredits += snapshot.Credited.Count(id => id.Activity == plan.Id && !expected.Contains(id));
            missingCredits += expected.Count(id => !snapshot.Credited.Contains(id));
        }

        checks.Add(Check.Equal("issued prizes no partner credited", missingCredits, 0));
        checks.Add(Check.Equal("credits for prizes never issued", strayCredits, 0));

        return new ReconciliationReport(
            Issued: issuedById.Count,
            Quota: plan.TotalQuota,
            JournalDraws: journalTotals.Nodes.Values.Sum(n => n.Draws),
            JournalWins: journalTotals.Wins.Count,
            LedgerWins: after.Wins.Count,
            RecoveredFromStore: recovered.Count,
            Delivered: delivered.Count(issuedById.ContainsKey),
            Redriven: redriven,
            RedriveRounds: rounds,
            PartnerCredited: credited,
            PartnerRequests: requests,
            Checks: checks);
    }

    private async Task<(int Redriven, int Rounds, IReadOnlySet<PrizeId> Delivered)> RedriveAsync(
        Dictionary<PrizeId, IssuedPrize> issued, TimeSpan settle, CancellationToken cancellation)
    {
        long start = clock.GetTimestamp();
        int redriven = 0, rounds = 0;
        TimeSpan grace = TimeSpan.FromSeconds(3);
        while (true)
        {
            IReadOnlySet<PrizeId> delivered = await store.ReadDeliveredAsync(plan).ConfigureAwait(false);
            List<IssuedPrize> missing = [.. issued.Values.Where(i => !delivered.Contains(i.Id))];
            if (missing.Count == 0 || clock.GetElapsedTime(start) > settle)
            {
                return (redriven, rounds, delivered);
            }

            // Deliveries still in flight finish by themselves within the grace; after it, re-drive what is missing.
            if (clock.GetElapsedTime(start) >= grace * (rounds + 1))
            {
                rounds++;
                redriven += missing.Count;
                List<PrizeWin> cash = [];
                foreach (IGrouping<string, IssuedPrize> partner in missing.GroupBy(i => plan.Prizes[i.Id.Prize].Partner))
                {
                    List<PrizeWin> wins = [.. partner.Select(i => new PrizeWin(i.Id.Activity, i.Id.Prize, i.Id.Sequence, i.User, i.Node))];
                    if (plan.Prizes[partner.First().Id.Prize].Kind == PrizeKind.Cash)
                    {
                        cash.AddRange(wins);
                    }
                    else
                    {
                        await queue.EnqueueAsync(partner.Key, wins).ConfigureAwait(false);
                    }
                }

                if (cash.Count > 0)
                {
                    await cashDesk.RedriveAsync(new WinBatch([.. cash]), settle).ConfigureAwait(false);
                }
            }

            await Task.Delay(TimeSpan.FromMilliseconds(200), clock, cancellation).ConfigureAwait(false);
        }
    }

    private static JournalTotals ReadJournals(IReadOnlyDictionary<string, string> journals)
    {
        Dictionary<string, NodeJournal> nodes = [];
        HashSet<PrizeId> wins = [];
        int duplicates = 0;
        foreach ((string node, string path) in journals)
        {
            long draws = 0, nodeWins = 0;
            long length = File.Exists(path) ? DrawJournal.Scan(path, 0, long.MaxValue, (_, records) =>
            {
                foreach (JournalRecord record in records)
                {
                    draws++;
                    if (record.IsWin)
                    {
                        nodeWins++;
                        duplicates += wins.Add(record.PrizeId) ? 0 : 1;
                    }
                }
            }) : 0;
            nodes[node] = new NodeJournal(length, draws, nodeWins);
        }

        return new JournalTotals(nodes, wins, duplicates);
    }

    private sealed record NodeJournal(long Length, long Draws, long Wins);

    private sealed record JournalTotals(Dictionary<string, NodeJournal> Nodes, HashSet<PrizeId> Wins, int DuplicateWins);
}

/// <summary>One invariant: what was found against what must hold.</summary>
public sealed record Check(string Name, long Actual, long Expected, bool Passed)
{
    public static Check Equal(string name, long actual, long expected) => new(name, actual, expected, actual == expected);

    public static Check AtMost(string name, long actual, long limit) => new(name, actual, limit, actual <= limit);
}

public sealed record ReconciliationReport(
    long Issued,
    long Quota,
    long JournalDraws,
    long JournalWins,
    long LedgerWins,
    int RecoveredFromStore,
    long Delivered,
    int Redriven,
    int RedriveRounds,
    long PartnerCredited,
    long PartnerRequests,
    IReadOnlyList<Check> Checks)
{
    public bool Passed => Checks.All(check => check.Passed);

    public IEnumerable<Check> Failures => Checks.Where(check => !check.Passed);
}
