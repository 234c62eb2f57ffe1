using System.Buffers;
using System.Reflection;
using Toolkit.Rpc.Calls;
using Toolkit.Rpc.Tests.Endpoints;
using Toolkit.Rpc.Tests.Infrastructure;
using Toolkit.Rpc.Transport;
using Toolkit.Rpc.Transport.Protocol;

namespace Toolkit.Rpc.Tests.Transport;

/// <summary>
/// A remote ask's call items are pooled on both sides. The caller's is reused once its caller has read the outcome,
/// never before, and a late outcome meant for an earlier use never reaches the use it serves now; the receiver's goes
/// back once the call was answered, unless the method can be cancelled (a cancel frame may come late).
/// </summary>
public sealed class CallPoolTests
{
    private static readonly FieldInfo SourceField = typeof(ValueTask<long>).GetField("_obj", BindingFlags.NonPublic | BindingFlags.Instance)
        ?? throw new InvalidOperationException("ValueTask<T> no longer keeps its source in _obj: this test must find it another way.");

    [Fact]
    public async Task A_call_reuses_the_item_of_an_earlier_call_whose_outcome_was_read()
    {
        await using Probe probe = await Probe.StartAsync(CallPath.Remote);

        ValueTask<long> first = probe.Gateway.IncrementAsync(1);
        RemoteCall item = SourceOf(first);
        Assert.Equal(1, await first);

        ValueTask<long> second = probe.Gateway.IncrementAsync(1);
        Assert.Same(item, SourceOf(second));

        // Two calls in flight at once have an item each.
        ValueTask<long> third = probe.Gateway.IncrementAsync(1);
        Assert.NotSame(item, SourceOf(third));
        Assert.Equal(5, await second + await third);
    }

    [Fact]
    public async Task The_item_of_a_call_whose_outcome_was_not_read_is_not_reused()
    {
        await using Probe probe = await Probe.StartAsync(CallPath.Remote);

        ValueTask<long> unread = probe.Gateway.IncrementAsync(1);
        await Eventually.True(() => unread.IsCompleted, "the call completes");

        ValueTask<long> next = probe.Gateway.IncrementAsync(1);
        Assert.NotSame(SourceOf(unread), SourceOf(next));
        Assert.Equal(2, await next);
        Assert.Equal(1, await unread);
    }

    [Fact]
    public async Task A_reply_or_a_close_meant_for_an_earlier_use_does_not_complete_the_current_one()
    {
        await using Probe probe = await Probe.StartAsync(CallPath.Remote);

        ValueTask<long> earlier = probe.Gateway.IncrementAsync(1);
        RemoteCall item = SourceOf(earlier);
        long earlierId = item.CallId;
        Assert.Equal(1, await earlier);

        // The endpoint is held mid-turn, so the next call waits for its reply while the test plays a reader that took
        // the earlier call from the table just before another outcome won, and a connection closing with it.
        Task<int> blocking = probe.Gateway.BlockAsync();
        Assert.True(probe.Endpoint.Blocking.Wait(TimeSpan.FromSeconds(10)), "the endpoint did not start blocking");
        ValueTask<long> current = probe.Gateway.IncrementAsync(10);
        Assert.Same(item, SourceOf(current));
        Assert.NotEqual(earlierId, item.CallId);

        Assert.False(item.OnReply(earlierId, ReplyStatus.Ok, new ReadOnlySequence<byte>(BitConverter.GetBytes(99L))));
        item.OnConnectionClosed(earlierId, new IOException("a stale close"));
        Assert.False(item.IsDone);
        Assert.False(current.IsCompleted);

        probe.Endpoint.Block.Set();
        Assert.Equal(1, await blocking);
        Assert.Equal(11, await current);
    }

    [Fact]
    public async Task An_inbound_call_goes_back_to_the_pool_once_it_was_answered()
    {
        await using Probe probe = await Probe.StartAsync(CallPath.Remote);
        ItemPool<InboundCall> pool = probe.Service.Runtime.Pools.Get<InboundCall>();
        Assert.Equal(1, await probe.Gateway.IncrementAsync(1));

        InboundCall? pooled = null;
        await Eventually.True(() => (pooled = pool.Rent()) is not null, "the answered call is back in the pool");
        pool.Return(pooled!);

        // The next request takes it.
        Assert.Equal(2, await probe.Gateway.IncrementAsync(1));
        await Eventually.True(() => pool.Rent() == pooled, "the same item serves the next call and comes back again");
    }

    [Fact]
    public async Task An_inbound_call_whose_method_can_be_cancelled_is_not_pooled()
    {
        await using Probe probe = await Probe.StartAsync(CallPath.Remote);
        ItemPool<InboundCall> pool = probe.Service.Runtime.Pools.Get<InboundCall>();
        using CancellationTokenSource cancellation = new();
        Task<bool> observing = probe.Gateway.ObserveCancellationAsync(cancellation.Token);
        cancellation.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Eventually.Within(observing));
        Assert.True(await Eventually.Within(probe.Endpoint.CancellationObserved.Task), "the method observed the cancellation on its main thread");

        // The item would be back microseconds after its reply was sent; give it far longer.
        await Task.Delay(200);
        Assert.Null(pool.Rent());
    }

    private static RemoteCall SourceOf(ValueTask<long> task) =>
        SourceField.GetValue(task) as RemoteCall ?? throw new InvalidOperationException("the remote call's task is not backed by its call item");
}
