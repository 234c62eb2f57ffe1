using Lottery.Contracts;

namespace Lottery.Access;

/// <summary>
/// The seam between liveness and routing. A membership source (here <see cref="HeartbeatMonitor"/>; later Toolkit's
/// heartbeat service) tells the access layer, on its main thread, when a node is up, how loaded it is, and when it is
/// gone; the access layer only rebuilds its ring and sheds on what it hears.
/// </summary>
public interface IMembershipListener
{
    void MemberUp(string nodeId, ILotteryNodeGateway node);

    void MemberLoad(NodeLoad load);

    void MemberDown(string nodeId, string reason);
}

/// <summary>What the access layer asks of a membership source; every call comes from the access layer's main thread.</summary>
public interface IMembershipSource
{
    /// <summary>Starts watching <paramref name="nodeId"/>; an existing target is replaced (a node that joins again).</summary>
    void Monitor(string nodeId, string address, ILotteryNodeGateway node);

    /// <summary>The node's connection closed: it is down now, without waiting for a heartbeat to time out.</summary>
    void ConnectionLost(string address);
}
