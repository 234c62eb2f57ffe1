using static Toolkit.Rpc.Analyzers.Tests.MainThread.MainThreadTestHelper;

namespace Toolkit.Rpc.Analyzers.Tests.MainThread;

public sealed class BlockingWaitAnalyzerTests
{
    private static string Endpoint(string members) => $$"""
        public sealed class Worker(IWorkerGateway peer) : RpcEndpoint
        {
            private readonly SemaphoreSlim _signal = new(0);
        {{members}}
        }
        """;

    [Fact]
    public Task Result_of_a_gateway_task_is_reported_at_Result() => VerifySingleAsync(
        Endpoint("    public int Compute() => peer.ComputeAsync(1).Result;"),
        BlockingWaitAnalyzer.Rule, "Result", "Task<int>.Result", "Worker", "await the task instead");

    [Fact]
    public Task Awaiting_the_gateway_task_is_fine() => VerifyNoneAsync(
        Endpoint("    public async Task<int> ComputeAsync() => await peer.ComputeAsync(1);"));

    [Fact]
    public Task Wait_is_reported_from_its_name_to_the_end_of_the_call() => VerifySingleAsync(
        Endpoint("    public void Reset() => peer.SubmitFrozenAsync(new FrozenOrder(\"a\", 1)).Wait();"),
        BlockingWaitAnalyzer.Rule, "Wait()", "Task.Wait", "Worker", "await the task instead");

    [Fact]
    public Task GetAwaiter_GetResult_is_reported_over_both_calls() => VerifySingleAsync(
        Endpoint("    public int Compute() => peer.ComputeAsync(1).GetAwaiter().GetResult();"),
        BlockingWaitAnalyzer.Rule, "GetAwaiter().GetResult()", "TaskAwaiter<int>.GetResult", "Worker", "await the task instead");

    [Fact]
    public Task ValueTask_GetResult_is_reported() => VerifySingleAsync(
        Endpoint("    public void Reset() => peer.ResetAsync().GetAwaiter().GetResult();"),
        BlockingWaitAnalyzer.Rule, "GetAwaiter().GetResult()", "ValueTaskAwaiter.GetResult", "Worker", "await the task instead");

    [Fact]
    public Task Thread_Sleep_is_reported_over_the_whole_call() => VerifySingleAsync(
        Endpoint("    public void Pause() => Thread.Sleep(100);"),
        BlockingWaitAnalyzer.Rule, "Thread.Sleep(100)", "Thread.Sleep", "Worker", "await Task.Delay instead");

    [Fact]
    public Task Task_Delay_and_Thread_Sleep_of_zero_are_fine() => VerifyNoneAsync(
        Endpoint("    public async Task PauseAsync() { Thread.Sleep(0); await Task.Delay(100); }"));

    [Fact]
    public Task Task_WaitAll_is_reported() => VerifySingleAsync(
        Endpoint("    public void Both() => Task.WaitAll(peer.SubmitFrozenAsync(new FrozenOrder(\"a\", 1)), peer.SubmitFrozenAsync(new FrozenOrder(\"a\", 1)));"),
        BlockingWaitAnalyzer.Rule, "Task.WaitAll(peer.SubmitFrozenAsync(new FrozenOrder(\"a\", 1)), peer.SubmitFrozenAsync(new FrozenOrder(\"a\", 1)))", "Task.WaitAll", "Worker", "await Task.WhenAll instead");

    [Fact]
    public Task Task_WaitAny_is_reported() => VerifySingleAsync(
        Endpoint("    public int First(Task a, Task b) => Task.WaitAny(a, b);"),
        BlockingWaitAnalyzer.Rule, "Task.WaitAny(a, b)", "Task.WaitAny", "Worker", "await Task.WhenAny instead");

    [Fact]
    public Task Waiting_on_a_semaphore_is_reported_and_WaitAsync_is_fine()
    {
        return Task.WhenAll(
            VerifySingleAsync(
                Endpoint("    public void Gate() => _signal.Wait();"),
                BlockingWaitAnalyzer.Rule, "Wait()", "SemaphoreSlim.Wait", "Worker",
                "await an asynchronous signal (a TaskCompletionSource or SemaphoreSlim.WaitAsync) instead"),
            VerifyNoneAsync(Endpoint("    public Task GateAsync() => _signal.WaitAsync();")));
    }

    [Fact]
    public Task Blocking_inside_Task_Run_does_not_block_the_main_thread() => VerifyNoneAsync(
        Endpoint("    public Task<int> ComputeAsync(Task<int> source) => Task.Run(() => source.Result + 1);"));

    [Fact]
    public Task Blocking_outside_an_endpoint_is_not_this_rule() => VerifyNoneAsync("""
        public static class Program
        {
            public static int Main(Task<int> pending) => pending.Result;
        }
        """);

    [Fact]
    public Task Blocking_in_a_lambda_run_on_the_main_thread_is_reported() => VerifySingleAsync(
        Endpoint("    public Task<int> ComputeAsync() => CallAsync(() => peer.ComputeAsync(1).Result, TimeSpan.FromSeconds(1));"),
        BlockingWaitAnalyzer.Rule, "Result", "Task<int>.Result", "Worker", "await the task instead");

    [Fact]
    public Task The_antecedent_of_a_main_thread_continuation_has_completed() => VerifyNoneAsync(
        Endpoint("    public Task<int> NextAsync(Task<int> source) => source.ContinueWith(done => done.Result + 1, MainThreadScheduler);"));
}
