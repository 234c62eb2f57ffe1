using static Toolkit.Rpc.Analyzers.Tests.MainThread.MainThreadTestHelper;

namespace Toolkit.Rpc.Analyzers.Tests.MainThread;

public sealed class LockAroundEndpointStateAnalyzerTests
{
    private static string Endpoint(string members) => $$"""
        public sealed class Worker : RpcEndpoint
        {
            private static readonly object Shared = new();
            private readonly object _gate = new();
            private readonly List<int> _items = [];
        {{members}}
        }
        """;

    [Fact]
    public Task A_lock_on_a_field_is_reported_at_lock() => VerifySingleAsync(
        Endpoint("    public void Add(int value) { lock (_gate) { Console.WriteLine(value); } }"),
        LockAroundEndpointStateAnalyzer.Rule, "lock", "_gate", "Worker");

    [Fact]
    public Task A_static_lock_around_endpoint_state_is_reported_with_the_state() => VerifySingleAsync(
        Endpoint("    public void Add(int value) { lock (Shared) { _items.Add(value); } }"),
        LockAroundEndpointStateAnalyzer.Rule, "lock", "_items", "Worker");

    [Fact]
    public Task A_static_lock_around_static_state_is_fine() => VerifyNoneAsync(
        Endpoint("    private static int s_created;\n    public void Created() { lock (Shared) { s_created++; } }"));

    [Fact]
    public Task Monitor_Enter_on_a_field_is_reported_at_the_call() => VerifySingleAsync(
        Endpoint("    public void Add(int value) { bool taken = false; Monitor.Enter(_gate, ref taken); try { _items.Add(value); } finally { Monitor.Exit(_gate); } }"),
        LockAroundEndpointStateAnalyzer.Rule, "Monitor.Enter(_gate, ref taken)", "_gate", "Worker");

    [Fact]
    public Task Endpoint_state_without_a_lock_is_fine() => VerifyNoneAsync(
        Endpoint("    public void Add(int value) => _items.Add(value);"));
}
