namespace Toolkit.Rpc.Tests.Processes.Upgrades;

/// <summary>
/// A rolling upgrade across two processes: Toolkit.Rpc.TestServer declares the same gateways and messages as
/// <c>UpgradeContracts.cs</c>, in another version. Members appended on either side travel both ways (the older side
/// reads defaults or skips what it does not know); an incompatible message is refused wherever its gateway reaches the
/// connection, naming the type, the member and which service has which version — never misread.
/// </summary>
public sealed class RollingUpgradeTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Calls_and_callbacks_between_versions_with_appended_members_succeed_both_ways(bool clientListens)
    {
        await using TestServerProcess server = await TestServerProcess.StartAsync("--upgrades");
        await using RpcService client = await RpcService.StartAsync(new RpcServiceOptions { Listen = clientListens ? "127.0.0.1:0" : null });
        IOrderGateway orders = await client.ConnectAsync<IOrderGateway>($"rpc://{server.Address}/orders");

        // The server's Order has a Quantity more (it reads its default), its Receipt a Note and Tags more (skipped here).
        Assert.Equal(new Receipt(7, "placed book x0"), await orders.PlaceAsync(new Order(7, "book")));

        // A gateway of an endpoint started after connecting, passed inside a message: this side's Entry is the newer one.
        AuditEndpoint audit = await client.StartEndpointAsync(new AuditEndpoint(), "audit");
        Assert.Equal("ok:11:audited", await orders.AuditBackAsync(audit.GetSelfGateway<IAuditGateway>(), 11));
        Assert.Equal([new Entry(11, "audited", null, null)], await audit.CallAsync(() => audit.Received.ToArray(), TimeSpan.FromSeconds(10)));

        // Many calls after the first exchange of contracts: no further exchange, the same results.
        for (long id = 0; id < 200; id++)
        {
            Assert.Equal(new Receipt(id, "placed item x0"), await orders.PlaceAsync(new Order(id, "item")));
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_gateway_passed_inside_a_message_after_connecting_is_compared_and_an_incompatible_one_refused(bool clientListens)
    {
        await using TestServerProcess server = await TestServerProcess.StartAsync("--upgrades");
        await using RpcService client = await RpcService.StartAsync(new RpcServiceOptions { Listen = clientListens ? "127.0.0.1:0" : null });
        IOrderGateway orders = await client.ConnectAsync<IOrderGateway>($"rpc://{server.Address}/orders");

        // Started after connecting: the handshake never saw this gateway. The server's Notification.Sequence is a long.
        InboxEndpoint inbox = await client.StartEndpointAsync(new InboxEndpoint(), "inbox");
        string outcome = await orders.NotifyBackAsync(inbox.GetSelfGateway<INotificationGateway>());

        string here = clientListens ? $"service {client.NodeId} at {client.Address}" : $"service {client.NodeId} (client mode)";
        string there = $"service test-server-{server.ProcessId} at {server.Address}";
        Assert.StartsWith($"failed:{nameof(RpcContractException)}:", outcome, StringComparison.Ordinal);
        Assert.Contains(
            $"gateway {typeof(INotificationGateway).FullName} differs: type {typeof(Notification).FullName} member 0 is 'Sequence: double' at {here} but 'Sequence: long' at {there}",
            outcome,
            StringComparison.Ordinal);
        Assert.Empty(await inbox.CallAsync(() => inbox.Received.ToArray(), TimeSpan.FromSeconds(10)));

        // The connection and the compatible gateways on it go on working.
        Assert.Equal(new Receipt(1, "placed pen x0"), await orders.PlaceAsync(new Order(1, "pen")));
    }

    [Fact]
    public async Task An_incompatible_gateway_served_at_connect_is_refused_at_connect_naming_type_member_and_sides()
    {
        await using TestServerProcess server = await TestServerProcess.StartAsync("--upgrades");
        await using RpcService client = await RpcService.StartAsync();

        // Served before connecting: the handshake compares it, and the connection is refused.
        await client.StartEndpointAsync(new InboxEndpoint(), "inbox");
        RpcConnectionException error = await Assert.ThrowsAsync<RpcConnectionException>(
            () => client.ConnectAsync<IOrderGateway>($"rpc://{server.Address}/orders"));

        Assert.Contains(
            $"type {typeof(Notification).FullName} member 0 is 'Sequence: long' at service test-server-{server.ProcessId} at {server.Address} but 'Sequence: double' at service {client.NodeId} (client mode)",
            error.Message,
            StringComparison.Ordinal);
    }
}
