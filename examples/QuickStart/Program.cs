using QuickStart;
using Toolkit.Rpc;

// Two endpoints in one service call each other through generated gateways. Pass --serialize to send every
// local call through the generated serializers and dispatch tables, as remote calls are.
bool serialize = args.Contains("--serialize");
void Log(string line) => Console.WriteLine(line);

await using RpcService rpc = await RpcService.StartAsync(new RpcServiceOptions { SerializeLocalCalls = serialize });
Log($"service {rpc.NodeId} started (serialize local calls: {serialize})");

await rpc.StartEndpointAsync(new ResourceManager(Log), "resourcemanager");
TaskExecutor executor = await rpc.StartEndpointAsync(new TaskExecutor("executor-1", Log), "taskexecutor");

IResourceManagerGateway manager = rpc.GetGateway<IResourceManagerGateway>("resourcemanager");
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

await rpc.StopEndpointAsync("taskexecutor");
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
