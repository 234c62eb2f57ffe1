namespace Toolkit.Rpc.Tests.Infrastructure;

/// <summary>Bounded waits for work that other threads finish: never a sleep-and-hope, always a deadline that fails the test.</summary>
public static class Eventually
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(10);

    /// <summary>Waits for <paramref name="task"/>, failing the test if it takes longer than the limit.</summary>
    public static async Task<T> Within<T>(Task<T> task) => await task.WaitAsync(Limit);

    /// <summary>Waits for <paramref name="task"/>, failing the test if it takes longer than the limit.</summary>
    public static async Task Within(Task task) => await task.WaitAsync(Limit);

    /// <summary>Polls <paramref name="condition"/> until it holds or the limit passes.</summary>
    public static async Task True(Func<bool> condition, string what)
    {
        DateTime deadline = DateTime.UtcNow + Limit;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"Timed out waiting until {what}.");
            }

            await Task.Delay(1);
        }
    }
}
