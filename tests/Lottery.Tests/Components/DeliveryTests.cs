using Lottery.Contracts;
using Lottery.Delivery;
using Lottery.Store;
using Lottery.Tests.Fixtures;
using Toolkit.Rpc;

namespace Lottery.Tests.Components;

/// <summary>
/// Delivery stays exactly-once under retries and redelivery: a consumer dies holding entries (they are reclaimed), the
/// partner fails a third of its requests after crediting (they are retried), every prize is enqueued twice and the cash
/// is re-driven twice (reconciliation's redeliveries) — and every prize is credited once, marked delivered once.
/// </summary>
public sealed class DeliveryTests(RedisServer redis) : IClassFixture<RedisServer>
{
    [Fact]
    public Task In_process_queue_delivers_every_prize_exactly_once() =>
        DeliverAsync(new InProcessLotteryStore(), new InProcessDeliveryQueue(TimeProvider.System), new InProcessPartnerBook(), activity: 21);

    [SkippableFact]
    public async Task Redis_streams_deliver_every_prize_exactly_once()
    {
        Skip.If(redis.Unavailable is not null, redis.Unavailable);
        await using RedisBackend backend = await RedisBackend.ConnectAsync(redis.Endpoint);
        await DeliverAsync(backend.Store, backend.Queue, backend.Book, activity: 22);
    }

    private static async Task DeliverAsync(ILotteryStore store, IDeliveryQueue queue, IPartnerBook book, int activity)
    {
        ActivityPlan plan = ActivityPlan.Default(0, 10_000) with { Id = activity };
        PrizeWin[] coupons = [.. Enumerable.Range(1, 300).Select(i => new PrizeWin(activity, 2, i, 5_000 + i, "node-1"))]; // jd: 200/s
        PrizeWin[] cash = [.. Enumerable.Range(1, 200).Select(i => new PrizeWin(activity, 0, i, 7_000 + i, "node-2"))];
        await queue.EnqueueAsync("jd", coupons);

        // A consumer reads 100 entries and dies without acknowledging them.
        IReadOnlyList<QueueEntry> held = await queue.ReadAsync("jd", "dead-consumer", 100);
        Assert.Equal(100, held.Count);

        SimulatedPartner partner = new(book, plan.Partners, TimeProvider.System, failureRate: 0.3, seed: 3);
        PrizeDeliverer first = new(plan, store, partner);
        PrizeDeliverer second = new(plan, store, partner);
        CourierOptions options = new(ClaimIdle: TimeSpan.FromMilliseconds(300), IdleWait: TimeSpan.FromMilliseconds(10), ShareOfCapacity: 0.45);
        await using RpcService service = await RpcService.StartAsync(new RpcServiceOptions { SerializeLocalCalls = true });
        CouponCourier one = await service.StartEndpointAsync(new CouponCourier(plan.Partner("jd"), "courier-1", queue, first, options), "courier-1");
        CouponCourier two = await service.StartEndpointAsync(new CouponCourier(plan.Partner("jd"), "courier-2", queue, second, options), "courier-2");
        await service.StartEndpointAsync(new CashDesk(first), "cashdesk");
        ICashDeskGateway cashDesk = service.GetGateway<ICashDeskGateway>("cashdesk");

        // Redeliveries: every coupon enqueued a second time, the cash delivered once and re-driven twice.
        cashDesk.Deliver(new WinBatch(cash));
        await queue.EnqueueAsync("jd", coupons);
        await cashDesk.RedriveAsync(new WinBatch(cash), TimeSpan.FromSeconds(30));
        await cashDesk.RedriveAsync(new WinBatch(cash), TimeSpan.FromSeconds(30));

        HashSet<PrizeId> expected = [.. coupons.Concat(cash).Select(win => win.Id)];
        using CancellationTokenSource deadline = new(TimeSpan.FromSeconds(60));
        while (true)
        {
            IReadOnlySet<PrizeId> delivered = await store.ReadDeliveredAsync(plan);
            if (expected.All(delivered.Contains) && await queue.PendingAsync("jd") == 0)
            {
                break;
            }

            await Task.Delay(50, deadline.Token);
        }

        IReadOnlySet<PrizeId> marked = await store.ReadDeliveredAsync(plan);
        Assert.Equal(expected.Count, marked.Count);
        PartnerBookSnapshot jd = await book.ReadAsync("jd");
        PartnerBookSnapshot wallet = await book.ReadAsync("wallet");
        Assert.Equal(coupons.Select(w => w.Id).ToHashSet(), jd.Credited.Where(id => id.Activity == activity).ToHashSet());
        Assert.Equal(cash.Select(w => w.Id).ToHashSet(), wallet.Credited.Where(id => id.Activity == activity).ToHashSet());

        // Each prize was marked delivered by exactly one delivery, though many more were attempted.
        Assert.Equal(expected.Count, first.Delivered + second.Delivered);
        Assert.True(partner.InjectedFailures > 0, "the partner should have failed some requests");
        Assert.True(jd.Requests + wallet.Requests > expected.Count, "retries and redeliveries should have reached the partners");
        Assert.True(first.Skipped + second.Skipped > 0, "repeats should have been absorbed by the delivery status");
        CourierStatus status1 = await service.GetGateway<ICourierGateway>("courier-1").StatusAsync();
        CourierStatus status2 = await service.GetGateway<ICourierGateway>("courier-2").StatusAsync();
        Assert.True(status1.Claimed + status2.Claimed >= held.Count, $"the dead consumer's {held.Count} entries should have been claimed ({status1.Claimed} + {status2.Claimed})");
        Assert.Equal(0, partner.OverCapacity["jd"]);
        GC.KeepAlive(one);
        GC.KeepAlive(two);
    }
}
