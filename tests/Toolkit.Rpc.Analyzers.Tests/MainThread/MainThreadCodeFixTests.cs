using Toolkit.Rpc.CodeFixes;
using static Toolkit.Rpc.Analyzers.Tests.MainThread.MainThreadTestHelper;

namespace Toolkit.Rpc.Analyzers.Tests.MainThread;

public sealed class MainThreadCodeFixTests
{
    private static string Endpoint(string members) => $$"""
        public sealed class Worker(IWorkerGateway peer) : RpcEndpoint
        {
            private int _total;
        {{members}}
        }
        """;

    private static Task<string> FixBlockingWaitAsync(string members) =>
        ApplyFixAsync(Endpoint(members), new BlockingWaitAnalyzer(), new BlockingWaitCodeFixProvider());

    [Fact]
    public async Task Result_in_an_int_method_becomes_await_in_a_Task_of_int_method() => Assert.Equal(
        Endpoint("    public async Task<int> Compute() => await peer.ComputeAsync(1) + _total;"),
        await FixBlockingWaitAsync("    public int Compute() => peer.ComputeAsync(1).Result + _total;"));

    [Fact]
    public async Task Wait_in_a_void_method_becomes_await_in_a_Task_method() => Assert.Equal(
        Endpoint("""
            public async Task Reset()
            {
                await peer.SubmitFrozenAsync(new FrozenOrder("a", 1));
                _total = 0;
            }
        """),
        await FixBlockingWaitAsync("""
            public void Reset()
            {
                peer.SubmitFrozenAsync(new FrozenOrder("a", 1)).Wait();
                _total = 0;
            }
        """));

    [Fact]
    public async Task GetAwaiter_GetResult_in_an_async_method_becomes_await() => Assert.Equal(
        Endpoint("    public async Task<string> DescribeAsync() { await Task.Yield(); return (await peer.ComputeAsync(1)).ToString(); }"),
        await FixBlockingWaitAsync("    public async Task<string> DescribeAsync() { await Task.Yield(); return peer.ComputeAsync(1).GetAwaiter().GetResult().ToString(); }"));

    [Fact]
    public async Task Result_in_a_task_returning_method_awaits_what_it_returned() => Assert.Equal(
        Endpoint("    public async Task<int> ComputeAsync() => await Task.FromResult(await peer.ComputeAsync(1) + 1);"),
        await FixBlockingWaitAsync("    public Task<int> ComputeAsync() => Task.FromResult(peer.ComputeAsync(1).Result + 1);"));

    [Fact]
    public async Task A_gateway_implementation_returning_a_task_keeps_its_signature()
    {
        const string Before = """
            public sealed class Relay(IWorkerGateway peer) : RpcEndpoint, IProbe
            {
                public Task<int> ProbeAsync()
                {
                    int value = peer.ComputeAsync(1).Result;
                    return Task.FromResult(value);
                }
            }

            [RpcGateway]
            public interface IProbe
            {
                Task<int> ProbeAsync();
            }
            """;
        const string After = """
            public sealed class Relay(IWorkerGateway peer) : RpcEndpoint, IProbe
            {
                public async Task<int> ProbeAsync()
                {
                    int value = await peer.ComputeAsync(1);
                    return await Task.FromResult(value);
                }
            }

            [RpcGateway]
            public interface IProbe
            {
                Task<int> ProbeAsync();
            }
            """;
        Assert.Equal(After, await ApplyFixAsync(Before, new BlockingWaitAnalyzer(), new BlockingWaitCodeFixProvider()));
    }

    [Fact]
    public Task A_void_gateway_implementation_is_not_changed() => VerifyNoFixAsync("""
        public sealed class Relay(IWorkerGateway peer) : RpcEndpoint, ITell
        {
            public void Tell(int value) => peer.ComputeAsync(value).Wait();
        }

        [RpcGateway]
        public interface ITell
        {
            void Tell(int value);
        }
        """, new BlockingWaitAnalyzer(), new BlockingWaitCodeFixProvider());

    [Fact]
    public Task Thread_Sleep_has_no_await_fix() => VerifyNoFixAsync(
        Endpoint("    public void Pause() => Thread.Sleep(10);"), new BlockingWaitAnalyzer(), new BlockingWaitCodeFixProvider());

    [Fact]
    public async Task ConfigureAwait_false_is_removed() => Assert.Equal(
        Endpoint("    public async Task AddAsync() => _total += await peer.ComputeAsync(1);"),
        await ApplyFixAsync(
            Endpoint("    public async Task AddAsync() => _total += await peer.ComputeAsync(1).ConfigureAwait(false);"),
            new ConfigureAwaitFalseAnalyzer(),
            new ConfigureAwaitFalseCodeFixProvider()));

    [Fact]
    public async Task Async_void_method_returns_Task() => Assert.Equal(
        Endpoint("    public async Task Refresh() => _total = await peer.ComputeAsync(1);"),
        await ApplyFixAsync(
            Endpoint("    public async void Refresh() => _total = await peer.ComputeAsync(1);"),
            new AsyncVoidAnalyzer(),
            new AsyncVoidCodeFixProvider()));

    [Fact]
    public async Task Async_void_local_function_returns_Task() => Assert.Equal(
        Endpoint("""
            public void Start()
            {
                Refresh();
                async Task Refresh() => _total = await peer.ComputeAsync(1);
            }
        """),
        await ApplyFixAsync(
            Endpoint("""
                public void Start()
                {
                    Refresh();
                    async void Refresh() => _total = await peer.ComputeAsync(1);
                }
            """),
            new AsyncVoidAnalyzer(),
            new AsyncVoidCodeFixProvider()));

    [Fact]
    public Task Async_void_override_is_not_changed() => VerifyNoFixAsync("""
        public abstract class Base : RpcEndpoint
        {
            protected abstract void Tick();
        }

        public sealed class Worker : Base
        {
            protected override async void Tick() => await Task.Yield();
        }
        """, new AsyncVoidAnalyzer(), new AsyncVoidCodeFixProvider());

    [Fact]
    public async Task A_dropped_gateway_call_in_a_void_method_is_awaited() => Assert.Equal(
        Endpoint("""
            public async Task Kick()
            {
                await peer.ComputeAsync(1);
                _total++;
            }
        """),
        await ApplyFixAsync(
            Endpoint("""
                public void Kick()
                {
                    peer.ComputeAsync(1);
                    _total++;
                }
            """),
            new DroppedGatewayTaskAnalyzer(),
            new DroppedGatewayTaskCodeFixProvider()));

    [Fact]
    public async Task A_dropped_gateway_call_in_a_Task_method_is_awaited_and_the_completed_task_return_goes() => Assert.Equal(
        Endpoint("""
            public async Task KickAsync()
            {
                await peer.ResetAsync();
                return;
            }
        """),
        await ApplyFixAsync(
            Endpoint("""
                public Task KickAsync()
                {
                    peer.ResetAsync();
                    return Task.CompletedTask;
                }
            """),
            new DroppedGatewayTaskAnalyzer(),
            new DroppedGatewayTaskCodeFixProvider()));
}
