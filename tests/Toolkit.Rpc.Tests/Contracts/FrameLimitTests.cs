using Toolkit.Rpc.Tests.Endpoints;
using static Toolkit.Rpc.Tests.Contracts.FaultTests;

namespace Toolkit.Rpc.Tests.Contracts;

/// <summary>A message over the frame limit is refused as soon as its encoding passes the limit, not once all of it is encoded.</summary>
public sealed class FrameLimitTests
{
    private const int Limit = 1024 * 1024;

    [Fact]
    public async Task A_huge_argument_is_refused_at_about_the_cost_of_the_limit()
    {
        await using Rig rig = await Rig.StartAsync(CallPath.Remote, Limit);
        Assert.Equal(3, await rig.Stock.StoreAsync([1, 2, 3]));
        byte[] huge = new byte[256 * 1024 * 1024];

        long before = GC.GetAllocatedBytesForCurrentThread();
        Task<int> call = rig.Stock.StoreAsync(huge);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        RpcMessageTooLargeException error = await Assert.ThrowsAsync<RpcMessageTooLargeException>(() => call);
        Assert.Equal(Limit, error.Limit);
        Assert.Contains("over the frame limit of 1,048,576 bytes: its encoding stopped after", error.Message, StringComparison.Ordinal);
        Assert.True(allocated < 8 * Limit, $"refusing the argument allocated {allocated:N0} bytes");
    }

    [Fact]
    public async Task Many_small_values_stop_once_they_pass_the_limit()
    {
        await using Rig rig = await Rig.StartAsync(CallPath.Remote, Limit);
        List<string> lines = [.. Enumerable.Range(0, 200_000).Select(i => $"line {i:D8} of a long list")];

        long before = GC.GetAllocatedBytesForCurrentThread();
        Task<int> call = rig.Stock.StoreLinesAsync(lines);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        RpcMessageTooLargeException error = await Assert.ThrowsAsync<RpcMessageTooLargeException>(() => call);
        Assert.InRange(error.Size, Limit, Limit + (128 * 1024));
        Assert.True(allocated < 8 * Limit, $"refusing the argument allocated {allocated:N0} bytes");
        Assert.Equal(1_000, await rig.Stock.StoreLinesAsync(lines[..1_000]));
    }

    [Fact]
    public async Task A_reply_over_the_limit_fails_the_call_saying_so_and_the_connection_goes_on()
    {
        await using Rig rig = await Rig.StartAsync(CallPath.Remote, Limit);

        RpcMessageTooLargeException error = await Assert.ThrowsAsync<RpcMessageTooLargeException>(() => rig.Stock.LoadAsync(64 * Limit));

        Assert.Contains("the reply is", error.Message, StringComparison.Ordinal);
        Assert.InRange(error.Size, Limit, Limit + (128 * 1024));
        Assert.Equal(10, (await rig.Stock.LoadAsync(10)).Length);
    }
}
