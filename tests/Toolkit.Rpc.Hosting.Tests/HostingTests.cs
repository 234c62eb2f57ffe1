using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Toolkit.Rpc.Hosting.Tests;

/// <summary>Toolkit RPC on the Generic Host: endpoints and clients from dependency injection, options from configuration.</summary>
public sealed class HostingTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task A_host_starts_endpoints_with_their_dependencies_serves_another_host_and_stops_them_in_reverse_order()
    {
        Journal journal = new();
        using IHost server = Build(
            new() { ["Rpc:Listen"] = "127.0.0.1:0", ["Rpc:NodeId"] = "inventory-host" },
            services => services.AddSingleton(journal).AddSingleton<Stock>(),
            rpc => rpc.AddEndpoint<InventoryEndpoint>("inventory").AddEndpoint<InventoryEndpoint>("backup"));
        await server.StartAsync().WaitAsync(Bound);
        RpcService service = server.Services.GetRequiredService<RpcService>();
        Assert.Equal("inventory-host", service.NodeId);
        Assert.Equal(["start inventory", "start backup"], journal.Entries);

        // A second host in client mode: its gateway client is injected, and connects on its first call.
        using IHost client = Build(
            new(),
            services => services.AddSingleton<OrderDesk>(),
            rpc => rpc.AddRemoteGateway<IInventoryGateway>($"rpc://{service.Address}/inventory"));
        await client.StartAsync().WaitAsync(Bound);
        Assert.Null(client.Services.GetRequiredService<RpcService>().Address);
        Assert.Equal(7, await client.Services.GetRequiredService<OrderDesk>().OrderAsync("pen", 3).WaitAsync(Bound));

        await client.StopAsync().WaitAsync(Bound);
        await server.StopAsync().WaitAsync(Bound);
        Assert.Equal(["start inventory", "start backup", "stop backup", "stop inventory"], journal.Entries);
    }

    [Fact]
    public async Task Stopping_the_host_lets_a_running_call_finish_within_the_shutdown_timeout()
    {
        Stock stock = new();
        using IHost server = Build(
            new() { ["Rpc:Listen"] = "127.0.0.1:0" },
            services => services.AddSingleton(new Journal()).AddSingleton(stock).Configure<HostOptions>(host => host.ShutdownTimeout = TimeSpan.FromSeconds(15)),
            rpc => rpc.AddEndpoint<InventoryEndpoint>("inventory"));
        await server.StartAsync().WaitAsync(Bound);
        await using RpcService caller = await RpcService.StartAsync();
        IInventoryGateway inventory = await caller.ConnectAsync<IInventoryGateway>($"rpc://{server.Services.GetRequiredService<RpcService>().Address}/inventory");
        Task<int> slow = inventory.ReserveSlowlyAsync("pen", 4, TimeSpan.FromSeconds(30));
        while (!stock.SlowCallStarted)
        {
            await Task.Delay(5);
        }

        Task stopping = server.StopAsync();
        await Assert.ThrowsAsync<RpcEndpointUnavailableException>(async () => await inventory.ReserveAsync("pen", 1));
        Assert.False(stopping.IsCompleted);
        stock.Gate.SetResult();

        Assert.Equal(6, await slow.WaitAsync(Bound));
        await stopping.WaitAsync(Bound);
    }

    [Theory]
    [InlineData("Rpc:Transport:MaxFrameSize", "12", "Rpc:Transport:MaxFrameSize is 12: a frame limit below 1024 bytes cannot hold a handshake.")]
    [InlineData("Rpc:Listen", "nowhere", "Rpc:Listen is 'nowhere': expected host:port")]
    [InlineData("Rpc:DefaultTimeout", "-00:00:01", "Rpc:DefaultTimeout is -00:00:01: the default timeout must be positive.")]
    [InlineData("Rpc:Transport:SharedSecretFile", "/no/such/secret", "Rpc:Transport:SharedSecretFile is '/no/such/secret': no such file.")]
    [InlineData("Rpc:Transport:Tls:CertificatePath", "/no/such.pem", "Rpc:Transport:Tls:CertificatePath is '/no/such.pem': no such file.")]
    public async Task An_invalid_option_fails_the_start_naming_the_option_and_its_value(string option, string value, string message)
    {
        using IHost host = Build(new() { [option] = value }, _ => { }, rpc => rpc.AddEndpoint<InventoryEndpoint>("inventory"));

        OptionsValidationException error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync().WaitAsync(Bound));

        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_endpoint_dependency_fails_the_start_naming_the_endpoint_and_the_dependency()
    {
        using IHost host = Build(new(), _ => { }, rpc => rpc.AddEndpoint<NeedyEndpoint>("needy"));

        InvalidOperationException error = await Assert.ThrowsAsync<InvalidOperationException>(() => host.StartAsync().WaitAsync(Bound));

        Assert.Contains($"could not create endpoint 'needy' ({typeof(NeedyEndpoint).FullName})", error.Message, StringComparison.Ordinal);
        Assert.Contains(typeof(Unregistered).FullName!, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Two_endpoints_of_one_name_are_refused_when_added()
    {
        ServiceCollection services = new();
        ToolkitRpcBuilder rpc = services.AddToolkitRpc();
        rpc.AddEndpoint<InventoryEndpoint>("inventory");

        ArgumentException error = Assert.Throws<ArgumentException>(() => rpc.AddEndpoint<InventoryEndpoint>("inventory"));
        Assert.Contains("An endpoint named 'inventory' was added already", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Options_bound_from_configuration_reach_the_service()
    {
        string secret = Path.GetTempFileName();
        File.WriteAllText(secret, "s3cret\n");
        try
        {
            IConfiguration configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Rpc:NodeId"] = "configured",
                ["Rpc:DefaultTimeout"] = "00:00:03",
                ["Rpc:SerializeLocalCalls"] = "true",
                ["Rpc:Transport:MaxFrameSize"] = "65536",
                ["Rpc:Transport:MaxQueuedBytes"] = "131072",
                ["Rpc:Transport:SharedSecretFile"] = secret,
                ["Rpc:Transport:ConnectTimeout"] = "00:00:02",
                ["Rpc:Transport:DedicatedReaders"] = "false",
            }).Build();
            ServiceCollection services = new();
            services.AddToolkitRpc(configuration.GetSection("Rpc"));
            using ServiceProvider provider = services.BuildServiceProvider();

            RpcServiceOptions options = RpcServiceOptionsFactory.Create(provider.GetRequiredService<IOptions<RpcHostOptions>>().Value, Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance, TimeProvider.System);

            Assert.Equal(("configured", TimeSpan.FromSeconds(3), true), (options.NodeId, options.DefaultTimeout, options.SerializeLocalCalls));
            Assert.Equal((65536, 131072, "s3cret", TimeSpan.FromSeconds(2), false), (options.Transport.MaxFrameSize, options.Transport.MaxQueuedBytes, options.Transport.SharedSecret, options.Transport.ConnectTimeout, options.Transport.DedicatedReaders));
        }
        finally
        {
            File.Delete(secret);
        }
    }

    private static IHost Build(Dictionary<string, string?> settings, Action<IServiceCollection> configureServices, Action<ToolkitRpcBuilder> configureRpc)
    {
        HostApplicationBuilder builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(settings);
        configureServices(builder.Services);
        configureRpc(builder.Services.AddToolkitRpc(builder.Configuration.GetSection("Rpc")));
        return builder.Build();
    }
}
