using static Toolkit.Rpc.Analyzers.Tests.MainThread.MainThreadTestHelper;

namespace Toolkit.Rpc.Analyzers.Tests.MainThread;

public sealed class StateTouchedOffMainThreadAnalyzerTests
{
    private static string Endpoint(string members) => $$"""
        public sealed class Worker : RpcEndpoint
        {
            private readonly List<int> _items = [];
            private int _count;
            private Timer? _timer;

            public int Count => _count;

            private void Tick(object? state) => _count++;

            private static int Square(int value) => value * value;
        {{members}}
        }
        """;

    [Fact]
    public Task A_field_in_Task_Run_is_reported_at_the_field() => VerifySingleAsync(
        Endpoint("    public Task StartAsync() => Task.Run(() => _count++);"),
        StateTouchedOffMainThreadAnalyzer.Rule, "_count", "_count", "Worker", "Task.Run");

    [Fact]
    public Task Computing_on_Task_Run_and_touching_state_after_the_await_is_fine() => VerifyNoneAsync(
        Endpoint("    public async Task StartAsync(int input) { int square = await Task.Run(() => Square(input)); _count += square; }"));

    [Fact]
    public Task Going_back_to_the_main_thread_with_RunAsync_is_fine() => VerifyNoneAsync(
        Endpoint("    public Task StartAsync() => Task.Run(() => RunAsync(() => _items.Add(1)));"));

    [Fact]
    public Task A_property_through_this_in_ThreadPool_is_reported() => VerifySingleAsync(
        Endpoint("    public void Start() => ThreadPool.QueueUserWorkItem(_ => Console.WriteLine(this.Count));"),
        StateTouchedOffMainThreadAnalyzer.Rule, "Count", "Count", "Worker", "ThreadPool.QueueUserWorkItem");

    [Fact]
    public Task Parallel_ForEach_is_reported_once_per_member() => VerifySingleAsync(
        Endpoint("    public void Fill(int[] values) => Parallel.ForEach(values, value => { _items.Add(value); _items.Add(-value); });"),
        StateTouchedOffMainThreadAnalyzer.Rule, "_items", "_items", "Worker", "Parallel.ForEach");

    [Fact]
    public Task A_method_group_on_a_Timer_is_reported() => VerifySingleAsync(
        Endpoint("    public void Start() => _timer = new Timer(Tick, null, 0, 1000);"),
        StateTouchedOffMainThreadAnalyzer.Rule, "Tick", "Tick", "Worker", "new Timer");

    [Fact]
    public Task A_Timer_whose_callback_goes_through_RunAsync_is_fine() => VerifyNoneAsync(
        Endpoint("    public void Start() => _timer = new Timer(_ => RunAsync(() => _count++), null, 0, 1000);"));

    [Fact]
    public Task ContinueWith_without_a_scheduler_is_reported() => VerifySingleAsync(
        Endpoint("    public Task After(Task<int> source) => source.ContinueWith(done => _count = done.Result);"),
        StateTouchedOffMainThreadAnalyzer.Rule, "_count", "_count", "Worker", "Task.ContinueWith");

    [Fact]
    public Task ContinueWith_on_the_MainThreadScheduler_is_fine() => VerifyNoneAsync(
        Endpoint("    public Task After(Task<int> source) => source.ContinueWith(done => _count = done.Result, MainThreadScheduler);"));

    [Fact]
    public Task StartNew_without_the_main_thread_scheduler_is_reported() => VerifySingleAsync(
        Endpoint("    public Task Start() => Task.Factory.StartNew(() => _items.Clear());"),
        StateTouchedOffMainThreadAnalyzer.Rule, "_items", "_items", "Worker", "TaskFactory.StartNew");

    [Fact]
    public Task StartNew_on_the_main_thread_scheduler_is_fine() => VerifyNoneAsync(
        Endpoint("    public Task Start() => Task.Factory.StartNew(() => _items.Clear(), CancellationToken.None, TaskCreationOptions.None, MainThreadScheduler);"));

    [Fact]
    public Task Thread_safe_members_of_RpcEndpoint_are_fine_off_the_thread() => VerifyNoneAsync(
        Endpoint("    public Task<bool> ProbeAsync() => Task.Run(() => IsInMainThread || State == RpcEndpointState.Running);"));

    [Fact]
    public Task State_in_a_local_function_passed_to_Task_Run_is_reported() => VerifySingleAsync(Endpoint("""
            public Task StartAsync()
            {
                return Task.Run(Work);

                void Work() => _items.Add(1);
            }
        """),
        StateTouchedOffMainThreadAnalyzer.Rule, "_items", "_items", "Worker", "Task.Run");

    [Fact]
    public Task A_local_function_on_locals_only_is_fine() => VerifyNoneAsync(Endpoint("""
            public Task<int> StartAsync(int input)
            {
                return Task.Run(Work);

                int Work() => Square(input);
            }
        """));
}
