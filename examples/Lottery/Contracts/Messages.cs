namespace Lottery.Contracts;

/// <summary>
/// A batch of draw requests, column by column: arrays of numbers cross the wire as one block copy each, so a batch of
/// thousands costs little more than one call.
/// </summary>
/// <param name="Activity">The activity drawn in.</param>
/// <param name="RequestIds">A client-unique id per request; the journal keeps it, so an acknowledged draw can be found.</param>
/// <param name="Users">The user (uin) per request.</param>
/// <param name="Shakes">How many shakes the client counted since its last submission.</param>
public sealed record DrawBatch(int Activity, long[] RequestIds, long[] Users, int[] Shakes)
{
    public int Count => Users.Length;
}

/// <summary>The results of a <see cref="DrawBatch"/>, in its order.</summary>
/// <param name="Outcomes">A <see cref="DrawOutcome"/> per request.</param>
/// <param name="Prizes">The prize index of a win (0 otherwise).</param>
/// <param name="Sequences">The prize instance number of a win: (activity, prize, sequence) is the prize id.</param>
/// <param name="RetryAfterMs">When some requests were shed: how long the client should wait before it tries again.</param>
public sealed record DrawReplies(byte[] Outcomes, byte[] Prizes, long[] Sequences, int RetryAfterMs)
{
    public static DrawReplies All(int count, DrawOutcome outcome, int retryAfterMs) =>
        new(Filled(count, (byte)outcome), new byte[count], new long[count], retryAfterMs);

    private static byte[] Filled(int count, byte value)
    {
        byte[] array = new byte[count];
        Array.Fill(array, value);
        return array;
    }
}

/// <summary>What became of one draw request.</summary>
public enum DrawOutcome : byte
{
    Lose = 0,
    Win = 1,
    /// <summary>The user has won as often as the activity allows.</summary>
    LimitReached = 2,
    /// <summary>Shed: the back end is saturated or the user's node is away; the client waits and tries again.</summary>
    TryLater = 3,
    /// <summary>The activity has not started or has ended.</summary>
    NotRunning = 4,
}

/// <param name="Address">The node's service address (<c>host:port</c>): its connection closing means the node is away.</param>
public sealed record NodeJoin(string NodeId, string Address, ILotteryNodeGateway Node);

public sealed record JoinReply(int Members, long RingVersion, int HeartbeatIntervalMs);

/// <summary>A heartbeat's payload: what the access layer sheds on.</summary>
public sealed record NodeLoad(string NodeId, int InFlightDraws, long JournalBytes, long Draws, long Wins);

public sealed record AccessStatus(string[] Members, long RingVersion, long Forwarded, long Shed, long Rebalances);

/// <summary>One issued prize: (Activity, Prize, Sequence) identifies it everywhere.</summary>
public sealed record PrizeWin(int Activity, int Prize, long Sequence, long User, string Node)
{
    public PrizeId Id => new(Activity, Prize, Sequence);
}

public sealed record WinBatch(PrizeWin[] Wins);

/// <summary>The identity of an issued prize: delivery is idempotent by it.</summary>
public readonly record struct PrizeId(int Activity, int Prize, long Sequence)
{
    public override string ToString() => $"{Activity}.{Prize}.{Sequence}";

    public static PrizeId Parse(string text)
    {
        string[] parts = text.Split('.');
        return new PrizeId(int.Parse(parts[0], System.Globalization.CultureInfo.InvariantCulture),
            int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture),
            long.Parse(parts[2], System.Globalization.CultureInfo.InvariantCulture));
    }
}
