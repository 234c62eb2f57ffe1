using static Toolkit.Rpc.Analyzers.Tests.MainThread.MainThreadTestHelper;

namespace Toolkit.Rpc.Analyzers.Tests.MainThread;

public sealed class AsyncVoidAnalyzerTests
{
    private static string Endpoint(string members) => $$"""
        public sealed class Worker(IWorkerGateway peer) : RpcEndpoint
        {
            private int _total;
        {{members}}
        }
        """;

    [Fact]
    public Task An_async_void_method_is_reported_at_async() => VerifySingleAsync(
        Endpoint("    public async void Refresh() => _total = await peer.ComputeAsync(1);"),
        AsyncVoidAnalyzer.Rule, "async", "Refresh", "Worker");

    [Fact]
    public Task An_async_Task_method_is_fine() => VerifyNoneAsync(
        Endpoint("    public async Task RefreshAsync() => _total = await peer.ComputeAsync(1);"));

    [Fact]
    public Task An_async_void_local_function_is_reported() => VerifySingleAsync(Endpoint("""
            public void Start()
            {
                Refresh();
                async void Refresh() => _total = await peer.ComputeAsync(1);
            }
        """),
        AsyncVoidAnalyzer.Rule, "async", "Refresh", "Worker");

    [Fact]
    public Task An_async_void_lambda_is_reported() => VerifySingleAsync(
        Endpoint("    public Action Refresher() => async () => _total = await peer.ComputeAsync(1);"),
        AsyncVoidAnalyzer.Rule, "async", "async lambda in Refresher", "Worker");

    [Fact]
    public Task An_async_lambda_returning_a_task_is_fine() => VerifyNoneAsync(
        Endpoint("    public Func<Task> Refresher() => async () => _total = await peer.ComputeAsync(1);"));

    [Fact]
    public Task Async_void_outside_an_endpoint_is_not_this_rule() => VerifyNoneAsync("""
        public sealed class Form
        {
            public async void OnClick(object sender, EventArgs e) => await Task.Yield();
        }
        """);
}
