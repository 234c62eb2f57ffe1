using Lottery.Contracts;
using Toolkit.Rpc;

namespace Lottery.Access;

/// <summary>
/// A simple heartbeat, as Flink's sender side: every interval it requests a heartbeat from each node; a reply carries
/// the node's load; a node silent for the timeout, failing <see cref="HeartbeatOptions.FailureThreshold"/> requests in a
/// row, or whose connection closes, is down. Runs entirely on the owning endpoint's main thread: it is driven by
/// <paramref name="schedule"/> (the endpoint's <c>ScheduleRunAsync</c>) and its awaits return there.
/// </summary>
public sealed class HeartbeatMonitor(
    IMembershipListener listener,
    Func<Func<Task>, TimeSpan, Task> schedule,
    TimeProvider clock,
    HeartbeatOptions options) : IMembershipSource
{
    private readonly Dictionary<string, Target> _targets = new(StringComparer.Ordinal);
    private long _sequence;
    private bool _started;

    public void Monitor(string nodeId, string address, ILotteryNodeGateway node)
    {
        _targets[nodeId] = new Target(nodeId, address, node) { LastHeard = clock.GetTimestamp() };
        listener.MemberUp(nodeId, node);
        if (!_started)
        {
            _started = true;
            _ = schedule(TickAsync, options.Interval);
        }
    }

    public void ConnectionLost(string address)
    {
        foreach (Target target in _targets.Values.Where(target => target.Address == address).ToList())
        {
            Down(target, $"its connection ({address}) closed");
        }
    }

    private async Task TickAsync()
    {
        _ = schedule(TickAsync, options.Interval);
        long sequence = ++_sequence;
        List<Task> requests = [];
        foreach (Target target in _targets.Values.ToList())
        {
            TimeSpan silent = clock.GetElapsedTime(target.LastHeard);
            if (silent > options.Timeout)
            {
                Down(target, $"no heartbeat for {silent.TotalMilliseconds:0} ms");
            }
            else if (!target.Requesting)
            {
                requests.Add(RequestAsync(target, sequence));
            }
        }

        await Task.WhenAll(requests);
    }

    private async Task RequestAsync(Target target, long sequence)
    {
        target.Requesting = true;
        try
        {
            NodeLoad load = await target.Node.HeartbeatAsync(sequence, options.Timeout);
            target.LastHeard = clock.GetTimestamp();
            target.Failures = 0;
            if (_targets.GetValueOrDefault(target.NodeId) == target)
            {
                listener.MemberLoad(load);
            }
        }
        catch (RpcException exception)
        {
            if (++target.Failures >= options.FailureThreshold)
            {
                Down(target, $"{target.Failures} heartbeat requests failed, the last with {exception.GetType().Name}");
            }
        }
        finally
        {
            target.Requesting = false;
        }
    }

    private void Down(Target target, string reason)
    {
        if (_targets.GetValueOrDefault(target.NodeId) == target)
        {
            _targets.Remove(target.NodeId);
            listener.MemberDown(target.NodeId, reason);
        }
    }

    private sealed class Target(string nodeId, string address, ILotteryNodeGateway node)
    {
        public string NodeId { get; } = nodeId;

        public string Address { get; } = address;

        public ILotteryNodeGateway Node { get; } = node;

        public long LastHeard { get; set; }

        public int Failures { get; set; }

        public bool Requesting { get; set; }
    }
}

/// <param name="Interval">How often a heartbeat is requested.</param>
/// <param name="Timeout">Silence after which a node is down.</param>
/// <param name="FailureThreshold">Failed requests in a row after which a node is down (Flink's default is 2).</param>
public sealed record HeartbeatOptions(TimeSpan Interval, TimeSpan Timeout, int FailureThreshold = 2)
{
    public static HeartbeatOptions Default { get; } = new(TimeSpan.FromMilliseconds(200), TimeSpan.FromMilliseconds(1000));
}
