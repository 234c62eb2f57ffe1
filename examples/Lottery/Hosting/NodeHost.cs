using Lottery.Contracts;
using Lottery.Delivery;
using Lottery.Journal;
using Lottery.Nodes;
using Toolkit.Rpc;

namespace Lottery.Hosting;

/// <summary>A lottery node in its own service: journal replayed, endpoint started, joined to the access layer, shipping.</summary>
public sealed class NodeHost : IAsyncDisposable
{
    private readonly JournalShipper _shipper;
    private bool _crashed;

    private NodeHost(RpcService service, LotteryNode node, DrawJournal journal, JournalShipper shipper, long replayed)
    {
        Service = service;
        Node = node;
        Journal = journal;
        _shipper = shipper;
        Replayed = replayed;
    }

    public RpcService Service { get; }

    public LotteryNode Node { get; }

    public DrawJournal Journal { get; }

    /// <summary>Records the journal held when the node started (what a restart replayed).</summary>
    public long Replayed { get; }

    public string JournalPath => Journal.Path;

    public static string JournalPathFor(string directory, string nodeId) => Path.Combine(directory, $"{nodeId}.journal");

    /// <param name="accessAddress"><c>rpc://host:port/access</c>.</param>
    /// <param name="cashDeskAddress"><c>rpc://host:port/cashdesk</c>.</param>
    public static async Task<NodeHost> StartAsync(
        NodeOptions options, ActivityPlan plan, Backends backends, string journalDirectory, string accessAddress, string cashDeskAddress,
        string listen = "127.0.0.1:0", TimeSpan? shipInterval = null, Action<string>? log = null)
    {
        List<JournalRecord> replayedWins = [];
        long replayed = 0;
        DrawJournal journal = DrawJournal.Open(JournalPathFor(journalDirectory, options.NodeId), records =>
        {
            replayed += records.Length;
            foreach (JournalRecord record in records)
            {
                if (record.IsWin)
                {
                    replayedWins.Add(record);
                }
            }
        });
        RpcService service = await RpcService.StartAsync(new RpcServiceOptions { Listen = listen, NodeId = options.NodeId }).ConfigureAwait(false);
        ICashDeskGateway cashDesk = service.GetRemoteGateway<ICashDeskGateway>(cashDeskAddress);
        LaneHandoff handoff = new(plan, cashDesk, backends.Queue, error => log?.Invoke($"{options.NodeId}: handing coupons to the queue failed: {error.Message}"));
        LotteryNode node = new(options, plan, backends.Store, journal, handoff);
        node.Restore(replayedWins);
        await service.StartEndpointAsync(node, "node").ConfigureAwait(false);
        JournalShipper shipper = new(options.NodeId, journal.Path, () => journal.CommittedLength, backends.Ledger, shipInterval ?? TimeSpan.FromMilliseconds(250));
        shipper.Start();
        await node.StartMembershipAsync(service.GetRemoteGateway<IAccessGateway>(accessAddress), service.Address!).ConfigureAwait(false);
        if (replayed > 0)
        {
            log?.Invoke($"{options.NodeId}: replayed {replayed:N0} journal records ({replayedWins.Count:N0} wins) from {journal.Path}");
        }

        return new NodeHost(service, node, journal, shipper, replayed);
    }

    /// <summary>As a crash would: connections cut, nothing more shipped or flushed. The journal on disk is what remains.</summary>
    public async Task CrashAsync()
    {
        _crashed = true;
        await _shipper.DisposeAsync().ConfigureAwait(false);
        await Service.DisposeAsync().ConfigureAwait(false);
        await Journal.DisposeAsync().ConfigureAwait(false);
    }

    public bool IsCrashed => _crashed;

    /// <summary>What a crashed node does when it comes back: replays its journal and ships what the ledger lacks.</summary>
    public static async Task<long> RecoverAsync(string nodeId, string journalDirectory, Ledger.ILedger ledger)
    {
        DrawJournal journal = DrawJournal.Open(JournalPathFor(journalDirectory, nodeId));
        await using (journal.ConfigureAwait(false))
        {
            JournalShipper shipper = new(nodeId, journal.Path, () => journal.CommittedLength, ledger, TimeSpan.FromSeconds(1));
            await using (shipper.ConfigureAwait(false))
            {
                return await shipper.ShipNowAsync().ConfigureAwait(false);
            }
        }
    }

    /// <summary>Ships everything journaled so far.</summary>
    public Task<long> ShipAsync() => _shipper.ShipNowAsync();

    public async ValueTask DisposeAsync()
    {
        if (_crashed)
        {
            return;
        }

        _crashed = true;
        await Service.DisposeAsync().ConfigureAwait(false);
        await Journal.DisposeAsync().ConfigureAwait(false);
        await _shipper.ShipNowAsync().ConfigureAwait(false);
        await _shipper.DisposeAsync().ConfigureAwait(false);
    }
}
