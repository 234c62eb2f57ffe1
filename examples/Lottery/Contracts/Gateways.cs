using Toolkit.Rpc;

namespace Lottery.Contracts;

/// <summary>What the access layer offers: draws from clients, and membership for lottery nodes.</summary>
[RpcGateway]
public interface IAccessGateway
{
    /// <summary>Draws for a batch of users; each goes to the node that owns the user on the hash ring.</summary>
    Task<DrawReplies> DrawAsync(DrawBatch batch, [RpcTimeout] TimeSpan timeout);

    /// <summary>A lottery node joins (or joins again); the access layer heartbeats it from then on.</summary>
    Task<JoinReply> JoinAsync(NodeJoin join, [RpcTimeout] TimeSpan timeout);

    /// <summary>Members, ring version and counters, for operators and tests.</summary>
    Task<AccessStatus> StatusAsync();
}

/// <summary>What a lottery node offers the access layer.</summary>
[RpcGateway]
public interface ILotteryNodeGateway
{
    /// <summary>Draws for a batch of users this node owns; replies once the results are journaled and fsynced.</summary>
    Task<DrawReplies> DrawAsync(DrawBatch batch, [RpcTimeout] TimeSpan timeout);

    /// <summary>A heartbeat request from the access layer; the reply carries the node's load.</summary>
    Task<NodeLoad> HeartbeatAsync(long sequence, [RpcTimeout] TimeSpan timeout);
}

/// <summary>The fast lane: cash goes to the wallet at once, not through a queue.</summary>
[RpcGateway]
public interface ICashDeskGateway
{
    /// <summary>One-way: the node hands over the cash wins it has journaled.</summary>
    void Deliver(WinBatch wins);

    /// <summary>Delivers again what reconciliation found undelivered; returns how many are delivered now.</summary>
    Task<int> RedriveAsync(WinBatch wins, [RpcTimeout] TimeSpan timeout);
}
