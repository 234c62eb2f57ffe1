using System.Diagnostics.Metrics;
using Toolkit.Rpc.Transport;

namespace Toolkit.Rpc;

public sealed partial class RpcService
{
    private static readonly KeyValuePair<string, object?> Inbound = new("rpc.toolkit.direction", "inbound");
    private static readonly KeyValuePair<string, object?> Outbound = new("rpc.toolkit.direction", "outbound");

    /// <summary>The gauges read from this service's state when a listener collects (docs/observability.md).</summary>
    private void ObserveGauges() => Runtime.Instruments.ObserveService(
        pendingCalls: () => [new Measurement<long>(_transport.Connections.Live.Sum(connection => (long)connection.PendingCalls))],
        activeCalls: () => [new Measurement<long>(_transport.Connections.Live.Sum(connection => (long)connection.ActiveInboundCalls))],
        openConnections: () =>
        {
            long inbound = 0, outbound = 0;
            foreach (RpcConnection connection in _transport.Connections.Live)
            {
                if (connection.IsOpen)
                {
                    _ = connection.IsInbound ? inbound++ : outbound++;
                }
            }

            return [new Measurement<long>(inbound, Inbound), new Measurement<long>(outbound, Outbound)];
        },
        mailboxDepths: () => _endpoints.Select(entry =>
            new Measurement<long>(entry.Value.MailboxDepth, new KeyValuePair<string, object?>("rpc.toolkit.endpoint", entry.Key))).ToList());
}
