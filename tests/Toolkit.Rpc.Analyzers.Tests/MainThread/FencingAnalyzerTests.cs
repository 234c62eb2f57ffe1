using static Toolkit.Rpc.Analyzers.Tests.MainThread.MainThreadTestHelper;

namespace Toolkit.Rpc.Analyzers.Tests.MainThread;

public sealed class FencingAnalyzerTests
{
    private const string Fenced = """
        [RpcGateway, RpcFenced]
        public interface ILeaderGateway
        {
            Task<int> SubmitAsync(int job);
            [RpcUnfenced] Task<string> WhoAsync();
        }

        """;

    [Fact]
    public Task A_fenced_gateway_on_a_plain_endpoint_is_reported_at_the_class() => VerifySingleAsync(Fenced + """
        public sealed class Leader : RpcEndpoint, ILeaderGateway
        {
            public Task<int> SubmitAsync(int job) => Task.FromResult(job);
            public Task<string> WhoAsync() => Task.FromResult("me");
        }
        """,
        FencingAnalyzer.UnfencedEndpointRule, "Leader", "Leader", "ILeaderGateway");

    [Fact]
    public Task A_fenced_gateway_on_a_fenced_endpoint_is_fine() => VerifyNoneAsync(Fenced + """
        public sealed class Leader : FencedRpcEndpoint, ILeaderGateway
        {
            public Task<int> SubmitAsync(int job) => Task.FromResult(job);
            public Task<string> WhoAsync() => Task.FromResult("me");
        }
        """);

    [Fact]
    public Task A_fenced_gateway_connected_without_an_epoch_is_reported_at_the_call() => VerifySingleAsync(Fenced + """
        public static class Client
        {
            public static async Task<int> SubmitAsync(RpcService rpc) =>
                await (await rpc.ConnectAsync<ILeaderGateway>("rpc://127.0.0.1:1/leader")).SubmitAsync(1);
        }
        """,
        FencingAnalyzer.NoEpochRule, "rpc.ConnectAsync<ILeaderGateway>(\"rpc://127.0.0.1:1/leader\")", "ILeaderGateway");

    [Fact]
    public Task Every_way_of_getting_a_fenced_gateway_is_reported_without_an_epoch() => VerifyCountAsync(Fenced + """
        public sealed class Caller : RpcEndpoint
        {
            public object[] Gateways(RpcService rpc) =>
            [
                rpc.GetRemoteGateway<ILeaderGateway>("rpc://127.0.0.1:1/leader"),
                rpc.GetGateway<ILeaderGateway>("leader"),
                GetSelfGateway<ILeaderGateway>(),
            ];
        }
        """,
        3);

    [Fact]
    public Task A_fenced_gateway_given_an_epoch_in_the_same_expression_is_fine() => VerifyNoneAsync(Fenced + """
        public static class Client
        {
            public static async Task<int> SubmitAsync(RpcService rpc, long epoch)
            {
                ILeaderGateway leader = (await rpc.ConnectAsync<ILeaderGateway>("rpc://127.0.0.1:1/leader")).WithEpoch(epoch);
                ILeaderGateway local = RpcGatewayExtensions.WithEpoch(rpc.GetGateway<ILeaderGateway>("leader"), epoch);
                return await leader.SubmitAsync(1) + await local.SubmitAsync(2) + await rpc.GetRemoteGateway<ILeaderGateway>("rpc://x:1/l").WithEpoch(epoch).SubmitAsync(3);
            }
        }
        """);

    [Fact]
    public Task An_unfenced_gateway_needs_no_epoch() => VerifyNoneAsync("""
        public static class Client
        {
            public static Task<IWorkerGateway> ConnectAsync(RpcService rpc) => rpc.ConnectAsync<IWorkerGateway>("rpc://127.0.0.1:1/worker");
        }
        """);

    private static async Task VerifyCountAsync(string source, int count) =>
        Assert.Equal(count, (await AnalyzeAsync(source)).Count(diagnostic => diagnostic.Id == FencingAnalyzer.NoEpochRule.Id));
}
