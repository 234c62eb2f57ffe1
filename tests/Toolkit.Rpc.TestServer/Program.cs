using Toolkit.Rpc;
using Toolkit.Rpc.Tests.Endpoints;
using Toolkit.Rpc.Tests.Streams;
using Toolkit.Rpc.Tests.Processes;
using Toolkit.Rpc.Tests.Processes.Upgrades;

// Usage: Toolkit.Rpc.TestServer [--listen host:port] [--secret s] [--versioned] [--upgrades] [--streams]
// Starts a listening service with a "probe" endpoint (with --versioned a "versioned" endpoint whose contract differs
// from the tests', with --upgrades an "orders" endpoint whose messages are another version of the tests', with
// --streams a "streams" endpoint whose methods return item streams), prints
// "LISTENING host:port", and runs until stdin closes or the process is killed.
string listen = "127.0.0.1:0";
string? secret = null;
bool versioned = false;
bool upgrades = false;
bool streams = false;
for (int i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--listen":
            listen = args[++i];
            break;
        case "--secret":
            secret = args[++i];
            break;
        case "--versioned":
            versioned = true;
            break;
        case "--upgrades":
            upgrades = true;
            break;
        case "--streams":
            streams = true;
            break;
        default:
            Console.Error.WriteLine($"unknown argument '{args[i]}'");
            return 2;
    }
}

await using RpcService service = await RpcService.StartAsync(new RpcServiceOptions
{
    Listen = listen,
    NodeId = $"test-server-{Environment.ProcessId}",
    Transport = new RpcTransportOptions { SharedSecret = secret },
});
await service.StartEndpointAsync(new ProbeEndpoint(), "probe");
if (versioned)
{
    await service.StartEndpointAsync(new VersionedEndpoint(), "versioned");
}

if (upgrades)
{
    await service.StartEndpointAsync(new OrderEndpoint(), "orders");
}

if (streams)
{
    await service.StartEndpointAsync(new StreamEndpoint(), "streams");
}

Console.WriteLine($"LISTENING {service.Address}");
Console.Out.Flush();

// Runs until the test closes stdin (a clean stop) or kills the process.
await Console.In.ReadToEndAsync();
return 0;
