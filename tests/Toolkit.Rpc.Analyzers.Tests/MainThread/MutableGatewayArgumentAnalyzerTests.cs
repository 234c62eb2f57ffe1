using static Toolkit.Rpc.Analyzers.Tests.MainThread.MainThreadTestHelper;

namespace Toolkit.Rpc.Analyzers.Tests.MainThread;

public sealed class MutableGatewayArgumentAnalyzerTests
{
    private static string Endpoint(string members) => $$"""
        public sealed class Worker(IWorkerGateway peer) : RpcEndpoint
        {
        {{members}}
        }
        """;

    [Fact]
    public Task A_class_with_a_setter_is_reported_at_the_argument() => VerifySingleAsync(
        Endpoint("    public Task SendAsync(Order order) => peer.SubmitAsync(order);"),
        MutableGatewayArgumentAnalyzer.Rule, "order", "Order", "IWorkerGateway.SubmitAsync", "'Order.Id' has a public setter");

    [Fact]
    public Task A_record_with_init_only_members_is_fine() => VerifyNoneAsync(
        Endpoint("    public Task SendAsync() => peer.SubmitFrozenAsync(new FrozenOrder(\"a\", 1));"));

    [Fact]
    public Task A_list_is_reported() => VerifySingleAsync(
        Endpoint("    public Task SendAsync(List<int> items) => peer.SubmitBatchAsync(items);"),
        MutableGatewayArgumentAnalyzer.Rule, "items", "List<int>", "IWorkerGateway.SubmitBatchAsync", "List is a mutable collection");

    [Fact]
    public Task An_immutable_array_is_fine() => VerifyNoneAsync(
        Endpoint("    public Task SendAsync(List<int> items) => peer.SubmitAllAsync([.. items]);"));

    [Fact]
    public Task A_mutable_argument_outside_an_endpoint_is_not_this_rule() => VerifyNoneAsync("""
        public static class Client
        {
            public static Task SendAsync(IWorkerGateway gateway) => gateway.SubmitAsync(new Order());
        }
        """);
}
