using static Toolkit.Rpc.Analyzers.Tests.MainThread.MainThreadTestHelper;

namespace Toolkit.Rpc.Analyzers.Tests.MainThread;

public sealed class DroppedGatewayTaskAnalyzerTests
{
    private static string Endpoint(string members) => $$"""
        public sealed class Worker(IWorkerGateway peer) : RpcEndpoint
        {
            private Task? _pending;
        {{members}}
        }
        """;

    [Fact]
    public Task A_dropped_gateway_task_is_reported_at_the_call() => VerifySingleAsync(
        Endpoint("    public void Kick() { peer.ComputeAsync(1); }"),
        DroppedGatewayTaskAnalyzer.Rule, "peer.ComputeAsync(1)", "IWorkerGateway.ComputeAsync");

    [Fact]
    public Task A_dropped_ValueTask_is_reported() => VerifySingleAsync(
        Endpoint("    public async Task KickAsync() { peer.ResetAsync(); await Task.Yield(); }"),
        DroppedGatewayTaskAnalyzer.Rule, "peer.ResetAsync()", "IWorkerGateway.ResetAsync");

    [Fact]
    public Task Awaited_stored_returned_passed_and_discarded_tasks_are_fine() => VerifyNoneAsync(Endpoint("""
            public async Task KickAsync() => await peer.ComputeAsync(1);
            public void Store() => _pending = peer.ComputeAsync(2);
            public Task<int> Forward() => peer.ComputeAsync(3);
            public Task Both() => Task.WhenAll(peer.ComputeAsync(4), peer.ComputeAsync(5));
            public void Discard() => _ = peer.ComputeAsync(6);
        """));

    [Fact]
    public Task A_one_way_call_returns_nothing_to_drop() => VerifyNoneAsync(
        Endpoint("    public void Tell() => peer.Notify(\"hello\");"));

    [Fact]
    public Task A_method_inherited_from_a_plain_interface_is_a_gateway_call_through_the_gateway() => VerifySingleAsync("""
        public interface IPingable
        {
            Task PingAsync();
        }

        [RpcGateway]
        public interface IPingGateway : IPingable;

        public sealed class Worker(IPingGateway peer) : RpcEndpoint
        {
            public void Kick() => peer.PingAsync();
        }
        """,
        DroppedGatewayTaskAnalyzer.Rule, "peer.PingAsync()", "IPingable.PingAsync");
}
