using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using QuickStart;
using Toolkit.Rpc;
using Toolkit.Rpc.Hosting;

// A resource manager and a task executor call each other through generated gateways, each service run by a .NET
// Generic Host (AddToolkitRpc). By default they live in two hosts connected over TCP on loopback: the resource
// manager's service listens, the executor's has no listener (client mode) and gets the manager's gateway injected by
// address; it registers itself, so the resource manager calls it back over the connection the executor opened.
// --local puts both endpoints in one service; --serialize (with --local) sends every local call through the
// generated serializers and dispatch tables, as remote calls are. --logs shows Toolkit's own log events; --trace
// prints every call's spans and, at the end, the metrics, through OpenTelemetry's console exporter.
bool local = args.Contains("--local");
bool serialize = args.Contains("--serialize");
bool logs = args.Contains("--logs");
bool trace = args.Contains("--trace");
void Log(string line) => Console.WriteLine(line);

TaskExecutor executor = new("executor-1", Log);
using IHost managerHost = Build(
    rpc =>
    {
        rpc.Listen = local ? null : "127.0.0.1:0";
        rpc.SerializeLocalCalls = serialize;
    },
    endpoints =>
    {
        endpoints.AddEndpoint<ResourceManager>("resourcemanager"); // made by dependency injection
        if (local)
        {
            endpoints.AddEndpoint("taskexecutor", _ => executor);
        }
    },
    observe: true);
await managerHost.StartAsync();
RpcService rpc = managerHost.Services.GetRequiredService<RpcService>();

using IHost? executorHost = local ? null : Build(
    _ => { },
    endpoints => endpoints
        .AddEndpoint("taskexecutor", _ => executor)
        .AddRemoteGateway<IResourceManagerGateway>($"rpc://{rpc.Address}/resourcemanager"),
    observe: false); // one process, one OpenTelemetry pipeline: the manager host's sees both services
if (executorHost is not null)
{
    await executorHost.StartAsync();
}

RpcService executorService = executorHost?.Services.GetRequiredService<RpcService>() ?? rpc;
Log(local
    ? $"service {rpc.NodeId} started (serialize local calls: {serialize})"
    : $"resource manager's service {rpc.NodeId} listens on {rpc.Address}; executor's service {executorService.NodeId} runs in client mode");

IResourceManagerGateway manager = local
    ? rpc.GetGateway<IResourceManagerGateway>("resourcemanager")
    : executorHost!.Services.GetRequiredService<IResourceManagerGateway>();
await executor.RunAsync(manager, count: 3);

// One-way heartbeats never wait; an ask afterwards arrives after them, because calls from one caller stay in order.
int heard = await manager.HeartbeatsAsync();
Log($"resource manager heard {heard} of {executor.HeartbeatsSent} heartbeats");

// A registration without slots comes back as the other case of the RegistrationResponse union.
RegistrationResponse second = await manager.RegisterAsync(
    new ExecutorRegistration("executor-2", 0, executor.GetSelfGateway<ITaskExecutorGateway>()), TimeSpan.FromSeconds(5));
if (second is not Rejected rejected)
{
    Log($"expected a rejection, got {second}");
    return 1;
}

Log($"second registration rejected as expected: {rejected.Reason}");

await executorService.StopEndpointAsync("taskexecutor");
try
{
    await executor.GetSelfGateway<ITaskExecutorGateway>().ReserveSlotAsync("job-2", 1, CancellationToken.None);
    Log("a call to a stopped endpoint unexpectedly succeeded");
    return 1;
}
catch (RpcEndpointUnavailableException error)
{
    Log($"calling the stopped executor fails clearly: {error.Message}");
}

// Stopping a host stops its endpoints, most recently started first, letting running calls finish.
if (executorHost is not null)
{
    await executorHost.StopAsync();
}

await managerHost.StopAsync();
return heard == executor.HeartbeatsSent ? 0 : 1;

// A host with a Toolkit RPC service: options, endpoints and gateway clients from dependency injection, logging
// through the host's ILogger, and with --trace, OpenTelemetry's console exporter.
IHost Build(Action<RpcHostOptions> configure, Action<ToolkitRpcBuilder> addEndpoints, bool observe)
{
    HostApplicationBuilder builder = Host.CreateApplicationBuilder();
    builder.Logging.SetMinimumLevel(logs ? LogLevel.Information : LogLevel.Warning);
    builder.Services.AddSingleton<Action<string>>(Log);
    addEndpoints(builder.Services.AddToolkitRpc(configure));
    if (trace && observe)
    {
        builder.Services.AddOpenTelemetry()
            .WithTracing(tracing => tracing.AddToolkitRpcInstrumentation().AddConsoleExporter())
            .WithMetrics(metrics => metrics.AddToolkitRpcInstrumentation().AddConsoleExporter());
    }

    return builder.Build();
}
