using System.Runtime.InteropServices;
using Lottery.Contracts;
using Lottery.Delivery;
using Lottery.Journal;
using Lottery.Store;
using Toolkit.Rpc;

namespace Lottery.Nodes;

/// <summary>
/// A lottery node (抽奖逻辑机器). The access layer sends it the users it owns on the hash ring, so their win history
/// lives in this node's memory (缓存机制) and the store is read only on a miss. A draw rolls the user's chance from the
/// shakes counted; a would-be winner takes a prize from the store's conditional counter, trying the next prize when
/// one is exhausted for the current 100 ms slice. Every result is journaled and fsynced before the batch is answered;
/// wins then go to delivery.
/// </summary>
public sealed class LotteryNode : RpcEndpoint, ILotteryNodeGateway
{
    private readonly NodeOptions _options;
    private readonly ActivityPlan _plan;
    private readonly ILotteryStore _store;
    private readonly DrawJournal _journal;
    private readonly IWinHandoff _handoff;
    private readonly Dictionary<long, int> _wins = [];
    private readonly int[] _sliceFullUntil;
    private readonly int[] _attemptsInFlight;
    private readonly long[] _issuedInSlice;
    private int _countedSlice = -1;
    private readonly double[] _chanceByShakes;
    private readonly Random _random;
    private int _inFlightDraws;
    private long _draws;
    private long _winCount;
    private long _shed;
    private long _lastHeartbeatTicks;

    public LotteryNode(NodeOptions options, ActivityPlan plan, ILotteryStore store, DrawJournal journal, IWinHandoff handoff)
    {
        _options = options;
        _plan = plan;
        _store = store;
        _journal = journal;
        _handoff = handoff;
        _sliceFullUntil = new int[plan.Prizes.Length];
        Array.Fill(_sliceFullUntil, -1);
        _attemptsInFlight = new int[plan.Prizes.Length];
        _issuedInSlice = new long[plan.Prizes.Length];
        _chanceByShakes = [.. Enumerable.Range(0, 257).Select(shakes => 1 - Math.Pow(1 - plan.WinChancePerShake, shakes))];
        _random = options.Seed is { } seed ? new Random(seed) : new Random();
    }

    public string NodeId => _options.NodeId;

    public long Draws => _draws;

    public long Wins => _winCount;

    /// <summary>Restores the win counts of a journal replay, so that a restarted node enforces limits at once.</summary>
    public void Restore(IEnumerable<JournalRecord> wins)
    {
        foreach (JournalRecord record in wins)
        {
            if (record.Activity == _plan.Id && record.IsWin)
            {
                CollectionsMarshal.GetValueRefOrAddDefault(_wins, record.User, out _)++;
            }
        }
    }

    public async Task<DrawReplies> DrawAsync(DrawBatch batch, TimeSpan timeout)
    {
        int count = batch.Count;
        long now = TimeProvider.GetUtcNow().ToUnixTimeMilliseconds();
        int slice = _plan.SliceAt(now);
        if (batch.Activity != _plan.Id || slice < 0 || slice >= _plan.SliceCount)
        {
            return DrawReplies.All(count, DrawOutcome.NotRunning, 0);
        }

        if (_inFlightDraws + count > _options.MaxInFlightDraws)
        {
            // The journal or the store cannot keep up: say so at once rather than queue (as the seed's clients back off).
            _shed += count;
            return DrawReplies.All(count, DrawOutcome.TryLater, _options.RetryAfterMs);
        }

        _inFlightDraws += count;
        try
        {
            byte[] outcomes = new byte[count];
            byte[] prizes = new byte[count];
            long[] sequences = new long[count];
            List<int>? candidates = null;
            for (int i = 0; i < count; i++)
            {
                long user = batch.Users[i];
                bool known = _wins.TryGetValue(user, out int wins);
                if (known && wins >= _plan.WinLimit)
                {
                    outcomes[i] = (byte)DrawOutcome.LimitReached;
                    continue;
                }

                double chance = _chanceByShakes[Math.Clamp(batch.Shakes[i], 0, _chanceByShakes.Length - 1)];
                if (_random.NextDouble() >= chance || !AnyPrizeOpen(slice))
                {
                    outcomes[i] = (byte)DrawOutcome.Lose;
                    continue;
                }

                (candidates ??= []).Add(i);
            }

            if (candidates is not null)
            {
                await LoadMissingAsync(batch, candidates);
                Task[] attempts = new Task[candidates.Count];
                for (int c = 0; c < candidates.Count; c++)
                {
                    attempts[c] = TryWinAsync(batch, candidates[c], slice, outcomes, prizes, sequences);
                }

                await Task.WhenAll(attempts);
            }

            JournalRecord[] records = new JournalRecord[count];
            List<PrizeWin>? won = null;
            for (int i = 0; i < count; i++)
            {
                DrawOutcome outcome = (DrawOutcome)outcomes[i];
                records[i] = new JournalRecord(batch.RequestIds[i], batch.Users[i], sequences[i], _plan.Id, outcome, prizes[i],
                    (ushort)Math.Clamp(batch.Shakes[i], 0, ushort.MaxValue));
                if (outcome == DrawOutcome.Win)
                {
                    (won ??= []).Add(new PrizeWin(_plan.Id, prizes[i], sequences[i], batch.Users[i], NodeId));
                }
            }

            await _journal.AppendAsync(records);
            _draws += count;
            if (won is not null)
            {
                _winCount += won.Count;
                _handoff.Handoff(won);
            }

            return new DrawReplies(outcomes, prizes, sequences, 0);
        }
        finally
        {
            _inFlightDraws -= count;
        }
    }

    public Task<NodeLoad> HeartbeatAsync(long sequence, TimeSpan timeout)
    {
        _lastHeartbeatTicks = TimeProvider.GetTimestamp();
        return Task.FromResult(new NodeLoad(NodeId, _inFlightDraws, _journal.CommittedLength, _draws, _winCount));
    }

    /// <summary>How long since the access layer last heartbeated this node (joining again when it is too long).</summary>
    internal TimeSpan SinceLastHeartbeat => _lastHeartbeatTicks == 0 ? TimeSpan.MaxValue : TimeProvider.GetElapsedTime(_lastHeartbeatTicks);

    /// <summary>Joins the access layer, and joins again whenever its heartbeats stop (it restarted, or lost this node).</summary>
    public Task StartMembershipAsync(IAccessGateway access, string address) => RunAsync(() => WatchAccessAsync(access, address));

    private async Task WatchAccessAsync(IAccessGateway access, string address)
    {
        TimeSpan silence = TimeSpan.FromMilliseconds(_options.RejoinAfterMs);
        if (SinceLastHeartbeat > silence)
        {
            try
            {
                await access.JoinAsync(new NodeJoin(NodeId, address, GetSelfGateway<ILotteryNodeGateway>()), TimeSpan.FromSeconds(2));
                _lastHeartbeatTicks = TimeProvider.GetTimestamp();
            }
            catch (RpcException)
            {
                // The access layer is away; the next round tries again.
            }
        }

        _ = ScheduleRunAsync(() => WatchAccessAsync(access, address), silence / 3);
    }

    private bool AnyPrizeOpen(int slice)
    {
        foreach (int fullUntil in _sliceFullUntil)
        {
            if (fullUntil < slice)
            {
                return true;
            }
        }

        return false;
    }

    private async Task LoadMissingAsync(DrawBatch batch, List<int> candidates)
    {
        long[] missing = [.. candidates.Select(i => batch.Users[i]).Where(user => !_wins.ContainsKey(user)).Distinct()];
        if (missing.Length == 0)
        {
            return;
        }

        int[] counts = await _store.LoadWinCountsAsync(_plan.Id, missing);
        for (int i = 0; i < missing.Length; i++)
        {
            // A count that arrived while the load was under way is newer: keep the larger.
            ref int wins = ref CollectionsMarshal.GetValueRefOrAddDefault(_wins, missing[i], out _);
            wins = Math.Max(wins, counts[i]);
        }
    }

    private async Task TryWinAsync(DrawBatch batch, int index, int slice, byte[] outcomes, byte[] prizes, long[] sequences)
    {
        long user = batch.Users[index];
        if (_wins.GetValueOrDefault(user) >= _plan.WinLimit)
        {
            outcomes[index] = (byte)DrawOutcome.LimitReached;
            return;
        }

        if (slice != _countedSlice)
        {
            _countedSlice = slice;
            Array.Clear(_issuedInSlice);
        }

        int[] order = PrizeOrder(slice);
        if (order.Length == 0)
        {
            outcomes[index] = (byte)DrawOutcome.Lose;
            return;
        }

        IssueAttempt attempt = new(_plan.Id, user, NodeId, batch.RequestIds[index], slice, _plan.SliceCount, _plan.WinLimit, order,
            [.. order.Select(prize => (long)_plan.Prizes[prize].Quota)]);
        foreach (int prize in order)
        {
            _attemptsInFlight[prize]++;
        }

        IssueResult result;
        try
        {
            result = await _store.TryIssueAsync(attempt);
        }
        finally
        {
            foreach (int prize in order)
            {
                _attemptsInFlight[prize]--;
            }
        }

        if (result.Status == IssueStatus.Issued && slice == _countedSlice)
        {
            _issuedInSlice[result.Prize]++;
        }

        for (int prize = 0; prize < _sliceFullUntil.Length; prize++)
        {
            if ((result.SliceFullMask & (1 << prize)) != 0)
            {
                _sliceFullUntil[prize] = Math.Max(_sliceFullUntil[prize], slice);
            }
        }

        ref int known = ref CollectionsMarshal.GetValueRefOrAddDefault(_wins, user, out _);
        known = Math.Max(known, result.UserWins);
        (outcomes[index], prizes[index], sequences[index]) = result.Status switch
        {
            IssueStatus.Issued => ((byte)DrawOutcome.Win, (byte)result.Prize, result.Sequence),
            IssueStatus.LimitReached => ((byte)DrawOutcome.LimitReached, (byte)0, 0L),
            _ => ((byte)DrawOutcome.Lose, (byte)0, 0L),
        };
    }

    /// <summary>A prize drawn by weight among those open in this slice, then the others in order (发放其他奖品).</summary>
    private int[] PrizeOrder(int slice)
    {
        int open = 0;
        long weight = 0;
        Span<int> candidates = stackalloc int[_plan.Prizes.Length];
        for (int prize = 0; prize < _plan.Prizes.Length; prize++)
        {
            // Open in this slice, and not already tried by more draws than the slice can have prizes (twice the even
            // share covers a slice that makes up for a stall): the store would refuse the rest, so they lose here
            // without a round trip.
            if (_sliceFullUntil[prize] < slice && _attemptsInFlight[prize] < (2 * _plan.SliceQuota(prize, slice)) + 1 - _issuedInSlice[prize])
            {
                candidates[open++] = prize;
                weight += _plan.Prizes[prize].Quota;
            }
        }

        if (open == 0)
        {
            return [];
        }

        long pick = _random.NextInt64(Math.Max(1, weight));
        int first = 0;
        for (int c = 0; c < open; c++)
        {
            pick -= _plan.Prizes[candidates[c]].Quota;
            if (pick < 0)
            {
                first = c;
                break;
            }
        }

        int[] order = new int[open];
        for (int c = 0; c < open; c++)
        {
            order[c] = candidates[(first + c) % open];
        }

        return order;
    }
}

/// <param name="MaxInFlightDraws">Draws this node holds at once before it answers "try later".</param>
/// <param name="RejoinAfterMs">Silence from the access layer after which the node joins again.</param>
public sealed record NodeOptions(string NodeId, int MaxInFlightDraws = 200_000, int RetryAfterMs = 500, int RejoinAfterMs = 1500, int? Seed = null);
