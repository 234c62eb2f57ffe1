using QuickStart;
using Toolkit.Rpc;

// A resource manager and a task executor call each other through generated gateways. By default they live in two
// services connected over TCP on loopback: the resource manager's service listens, the executor's has no listener
// (client mode) and registers itself, so the resource manager calls it back over the connection the executor opened.
// --local puts both endpoints in one service; --serialize (with --local) sends every local call through the
// generated serializers and dispatch tables, as remote calls are.
bool local = args.Contains("--local");
bool serialize = args.Contains("--serialize");
void Log(string line) => Console.WriteLine(line);

await using RpcService rpc = await RpcService.StartAsync(new RpcServiceOptions { SerializeLocalCalls = serialize, Listen = local ? null : "127.0.0.1:0" });
await using RpcService executorService = local ? rpc : await RpcService.StartAsync();
Log(local
    ? $"service {rpc.NodeId} started (serialize local calls: {serialize})"
    : $"resource manager's service {rpc.NodeId} listens on {rpc.Address}; executor's service {executorService.NodeId} runs in client mode");

await rpc.StartEndpointAsync(new ResourceManager(Log), "resourcemanager");
TaskExecutor executor = await executorService.StartEndpointAsync(new TaskExecutor("executor-1", Log), "taskexecutor");

IResourceManagerGateway manager = local
    ? rpc.GetGateway<IResourceManagerGateway>("resourcemanager")
    : await executorService.ConnectAsync<IResourceManagerGateway>($"rpc://{rpc.Address}/resourcemanager");
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

return heard == executor.HeartbeatsSent ? 0 : 1;
