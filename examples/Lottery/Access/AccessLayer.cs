using Lottery.Contracts;
using Toolkit.Rpc;

namespace Lottery.Access;

/// <summary>
/// The access layer (接入层): routes each user to one lottery node by consistent hashing, rebuilds the ring when
/// membership changes, and sheds what the back end cannot take with "try later" and a retry-after, so clients back off
/// instead of piling up (实时控制请求频率).
/// </summary>
public sealed class AccessLayer : RpcEndpoint, IAccessGateway, IMembershipListener
{
    private readonly AccessOptions _options;
    private readonly Dictionary<string, Member> _members = new(StringComparer.Ordinal);
    private IMembershipSource? _membership;
    private Member[] _byOwner = [];
    private HashRing _ring = HashRing.Empty;
    private long _forwarded;
    private long _shed;
    private long _rebalances;

    public AccessLayer(AccessOptions options, Func<AccessLayer, IMembershipSource>? membership = null)
    {
        _options = options;
        _membership = membership?.Invoke(this);
    }

    public HashRing Ring => _ring;

    protected override Task OnStartAsync()
    {
        _membership ??= new HeartbeatMonitor(this, (work, delay) => ScheduleRunAsync(work, delay), TimeProvider, _options.Heartbeat);
        return Task.CompletedTask;
    }

    public async Task<DrawReplies> DrawAsync(DrawBatch batch, TimeSpan timeout)
    {
        int count = batch.Count;
        HashRing ring = _ring;
        Member[] owners = _byOwner;
        if (ring.IsEmpty)
        {
            _shed += count;
            return DrawReplies.All(count, DrawOutcome.TryLater, _options.RetryAfterMs);
        }

        // Partition by owner, keeping each request's place so replies go back in order.
        int[] ownerOf = new int[count];
        int[] sizes = new int[owners.Length];
        for (int i = 0; i < count; i++)
        {
            int owner = ring.OwnerOf(batch.Users[i]);
            ownerOf[i] = owner;
            sizes[owner]++;
        }

        int[][] places = new int[owners.Length][];
        for (int owner = 0; owner < owners.Length; owner++)
        {
            places[owner] = new int[sizes[owner]];
            sizes[owner] = 0;
        }

        for (int i = 0; i < count; i++)
        {
            int owner = ownerOf[i];
            places[owner][sizes[owner]++] = i;
        }

        DrawReplies merged = new(new byte[count], new byte[count], new long[count], 0);
        List<Task> forwards = new(owners.Length);
        int retryAfter = 0;
        for (int owner = 0; owner < owners.Length; owner++)
        {
            int[] mine = places[owner];
            if (mine.Length == 0)
            {
                continue;
            }

            Member member = owners[owner];
            if (member.InFlightDraws + mine.Length > _options.MaxInFlightDrawsPerNode || member.Load?.InFlightDraws > _options.MaxInFlightDrawsPerNode)
            {
                Fill(merged, mine, DrawOutcome.TryLater);
                _shed += mine.Length;
                retryAfter = _options.RetryAfterMs;
                continue;
            }

            forwards.Add(ForwardAsync(member, batch, mine, merged, timeout));
        }

        await Task.WhenAll(forwards);
        foreach (byte outcome in merged.Outcomes)
        {
            if (outcome == (byte)DrawOutcome.TryLater)
            {
                retryAfter = _options.RetryAfterMs;
                break;
            }
        }

        return merged with { RetryAfterMs = retryAfter };
    }

    public Task<JoinReply> JoinAsync(NodeJoin join, TimeSpan timeout)
    {
        _membership!.Monitor(join.NodeId, join.Address, join.Node);
        return Task.FromResult(new JoinReply(_members.Count, _ring.Version, (int)_options.Heartbeat.Interval.TotalMilliseconds));
    }

    public Task<AccessStatus> StatusAsync() =>
        Task.FromResult(new AccessStatus([.. _ring.Members], _ring.Version, _forwarded, _shed, _rebalances));

    void IMembershipListener.MemberUp(string nodeId, ILotteryNodeGateway node)
    {
        _members[nodeId] = new Member(nodeId, node);
        Rebuild($"{nodeId} joined");
    }

    void IMembershipListener.MemberLoad(NodeLoad load)
    {
        if (_members.TryGetValue(load.NodeId, out Member? member))
        {
            member.Load = load;
        }
    }

    void IMembershipListener.MemberDown(string nodeId, string reason)
    {
        if (_members.Remove(nodeId))
        {
            Rebuild($"{nodeId} left: {reason}");
        }
    }

    protected override void OnRemoteDisconnected(RpcPeer peer)
    {
        if (peer.Address is { } address)
        {
            _membership?.ConnectionLost(address);
        }
    }

    private async Task ForwardAsync(Member member, DrawBatch batch, int[] places, DrawReplies merged, TimeSpan timeout)
    {
        long[] requestIds = new long[places.Length];
        long[] users = new long[places.Length];
        int[] shakes = new int[places.Length];
        for (int j = 0; j < places.Length; j++)
        {
            int i = places[j];
            requestIds[j] = batch.RequestIds[i];
            users[j] = batch.Users[i];
            shakes[j] = batch.Shakes[i];
        }

        member.InFlightDraws += places.Length;
        try
        {
            DrawReplies replies = await member.Node.DrawAsync(new DrawBatch(batch.Activity, requestIds, users, shakes), timeout);
            for (int j = 0; j < places.Length; j++)
            {
                int i = places[j];
                merged.Outcomes[i] = replies.Outcomes[j];
                merged.Prizes[i] = replies.Prizes[j];
                merged.Sequences[i] = replies.Sequences[j];
            }

            _forwarded += places.Length;
        }
        catch (RpcException)
        {
            // The node failed or went away mid-call: its users try again later, by then on the rebuilt ring.
            Fill(merged, places, DrawOutcome.TryLater);
            _shed += places.Length;
        }
        finally
        {
            member.InFlightDraws -= places.Length;
        }
    }

    private static void Fill(DrawReplies replies, int[] places, DrawOutcome outcome)
    {
        foreach (int i in places)
        {
            replies.Outcomes[i] = (byte)outcome;
        }
    }

    private void Rebuild(string why)
    {
        _ring = HashRing.Create(_members.Keys, _options.VirtualNodes, _ring.Version + 1);
        _byOwner = [.. _ring.Members.Select(id => _members[id])];
        _rebalances++;
        _options.Log?.Invoke($"access: ring v{_ring.Version} with {_ring.Members.Count} node(s) [{string.Join(", ", _ring.Members)}]: {why}");
    }

    private sealed class Member(string nodeId, ILotteryNodeGateway node)
    {
        public string NodeId { get; } = nodeId;

        public ILotteryNodeGateway Node { get; } = node;

        public int InFlightDraws { get; set; }

        public NodeLoad? Load { get; set; }
    }
}

/// <param name="MaxInFlightDrawsPerNode">Draws the access layer holds at one node before it sheds that node's users.</param>
public sealed record AccessOptions(
    HeartbeatOptions Heartbeat,
    int MaxInFlightDrawsPerNode = 100_000,
    int RetryAfterMs = 500,
    int VirtualNodes = HashRing.DefaultVirtualNodes,
    Action<string>? Log = null);
