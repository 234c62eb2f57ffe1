using static Toolkit.Rpc.Analyzers.Tests.MainThread.MainThreadTestHelper;

namespace Toolkit.Rpc.Analyzers.Tests.MainThread;

public sealed class EndpointCalledDirectlyAnalyzerTests
{
    private const string Peer = """
        public sealed class Peer : RpcEndpoint, IWorkerGateway
        {
            public Task<int> ComputeAsync(int input) => Task.FromResult(input);
            public ValueTask ResetAsync() => ValueTask.CompletedTask;
            public void Notify(string text) { }
            public Task SubmitAsync(Order order) => Task.CompletedTask;
            public Task SubmitBatchAsync(List<int> items) => Task.CompletedTask;
            public Task SubmitFrozenAsync(FrozenOrder order) => Task.CompletedTask;
            public Task SubmitAllAsync(ImmutableArray<int> items) => Task.CompletedTask;
            public int Helper() => 1;
        }

        """;

    [Fact]
    public Task A_gateway_method_on_another_endpoint_instance_is_reported_at_its_name() => VerifySingleAsync(Peer + """
        public sealed class Worker(Peer peer) : RpcEndpoint
        {
            public Task<int> ComputeAsync() => peer.ComputeAsync(1);
        }
        """,
        EndpointCalledDirectlyAnalyzer.Rule, "ComputeAsync", "Peer.ComputeAsync", "peer", "IWorkerGateway");

    [Fact]
    public Task The_same_call_through_the_gateway_is_fine() => VerifyNoneAsync(Peer + """
        public sealed class Worker(Peer peer) : RpcEndpoint
        {
            public Task<int> ComputeAsync() => peer.GetSelfGateway<IWorkerGateway>().ComputeAsync(1);
            public Task<int> ComputeRemotelyAsync() => Service.GetGateway<IWorkerGateway>("peer").ComputeAsync(1);
        }
        """);

    [Fact]
    public Task A_method_that_is_not_on_a_gateway_is_not_this_rule() => VerifyNoneAsync(Peer + """
        public sealed class Worker(Peer peer) : RpcEndpoint
        {
            public int Help() => peer.Helper();
        }
        """);

    [Fact]
    public Task An_endpoint_calling_its_own_gateway_method_on_this_is_fine() => VerifyNoneAsync("""
        public sealed class Peer : RpcEndpoint, IWorkerGateway
        {
            public Task<int> ComputeAsync(int input) => input == 0 ? Task.FromResult(0) : this.ComputeAsync(input - 1);
            public ValueTask ResetAsync() => ValueTask.CompletedTask;
            public void Notify(string text) => ResetAsync();
            public Task SubmitAsync(Order order) => Task.CompletedTask;
            public Task SubmitBatchAsync(List<int> items) => Task.CompletedTask;
            public Task SubmitFrozenAsync(FrozenOrder order) => Task.CompletedTask;
            public Task SubmitAllAsync(ImmutableArray<int> items) => Task.CompletedTask;
        }
        """);
}
