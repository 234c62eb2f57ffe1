using static Toolkit.Rpc.Analyzers.Tests.MainThread.MainThreadTestHelper;

namespace Toolkit.Rpc.Analyzers.Tests.MainThread;

public sealed class ConfigureAwaitFalseAnalyzerTests
{
    private static string Endpoint(string members) => $$"""
        public sealed class Worker(IWorkerGateway peer) : RpcEndpoint
        {
            private int _total;
        {{members}}
        }
        """;

    [Fact]
    public Task ConfigureAwait_false_is_reported_at_the_call() => VerifySingleAsync(
        Endpoint("    public async Task AddAsync() => _total += await peer.ComputeAsync(1).ConfigureAwait(false);"),
        ConfigureAwaitFalseAnalyzer.Rule, "ConfigureAwait(false)", "peer.ComputeAsync(1)", "ConfigureAwait(false)", "Worker");

    [Fact]
    public Task ConfigureAwait_true_and_no_ConfigureAwait_are_fine() => VerifyNoneAsync(Endpoint("""
            public async Task AddAsync() => _total += await peer.ComputeAsync(1).ConfigureAwait(true);
            public async Task AddAgainAsync() => _total += await peer.ComputeAsync(2);
        """));

    [Fact]
    public Task ConfigureAwait_on_a_ValueTask_is_reported() => VerifySingleAsync(
        Endpoint("    public async Task ResetAsync() { await peer.ResetAsync().ConfigureAwait(false); _total = 0; }"),
        ConfigureAwaitFalseAnalyzer.Rule, "ConfigureAwait(false)", "peer.ResetAsync()", "ConfigureAwait(false)", "Worker");

    [Fact]
    public Task ConfigureAwaitOptions_without_ContinueOnCapturedContext_is_reported() => VerifySingleAsync(
        Endpoint("    public async Task PauseAsync() => await Task.Delay(1).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);"),
        ConfigureAwaitFalseAnalyzer.Rule, "ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing)", "Task.Delay(1)",
        "ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing)", "Worker");

    [Fact]
    public Task ConfigureAwaitOptions_with_ContinueOnCapturedContext_is_fine() => VerifyNoneAsync(
        Endpoint("    public async Task PauseAsync() => await Task.Delay(1).ConfigureAwait(ConfigureAwaitOptions.ContinueOnCapturedContext | ConfigureAwaitOptions.SuppressThrowing);"));

    [Fact]
    public Task ConfigureAwait_false_outside_an_endpoint_is_fine() => VerifyNoneAsync("""
        public sealed class Library
        {
            public async Task<int> ReadAsync(IWorkerGateway gateway) => await gateway.ComputeAsync(1).ConfigureAwait(false);
        }
        """);
}
