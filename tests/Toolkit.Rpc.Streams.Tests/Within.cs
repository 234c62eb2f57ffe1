namespace Toolkit.Rpc.Streams.Tests;

/// <summary>Bounded waits: every wait of these tests has a deadline that fails the test, never a sleep.</summary>
internal static class Within
{
    public static readonly TimeSpan Limit = TimeSpan.FromSeconds(30);

    public static Task<T> Bound<T>(Task<T> task) => task.WaitAsync(Limit);

    public static Task Bound(Task task) => task.WaitAsync(Limit);
}
