using System.Threading.RateLimiting;
using Lottery.Contracts;
using Microsoft.Extensions.Logging;
using Toolkit.Rpc;

namespace Lottery.Delivery;

[RpcGateway]
public interface ICourierGateway
{
    Task<CourierStatus> StatusAsync();
}

public sealed record CourierStatus(string Partner, string Consumer, long Read, long Claimed, long Delivered, long Failed);

/// <summary>
/// The slow lane for one partner (礼券发货模块): a consumer in the partner stream's group. Each turn it first claims
/// entries left pending by a consumer that died (idle longer than <see cref="CourierOptions.ClaimIdle"/>), then reads
/// new ones, and delivers each under the partner's rate limit (业务限速) — a token bucket refilled every 100 ms so
/// deliveries flow evenly — acknowledging an entry only once its prize is delivered. A failed entry stays pending and
/// is claimed again after the idle time: retries are redeliveries, and delivery is idempotent by prize id.
/// </summary>
public sealed class CouponCourier : RpcEndpoint, ICourierGateway
{
    private readonly string _partner;
    private readonly string _consumer;
    private readonly IDeliveryQueue _queue;
    private readonly PrizeDeliverer _deliverer;
    private readonly CourierOptions _options;
    private readonly TokenBucketRateLimiter _limiter;
    private long _read;
    private long _claimed;
    private long _delivered;
    private long _failed;

    public CouponCourier(PartnerPlan partner, string consumer, IDeliveryQueue queue, PrizeDeliverer deliverer, CourierOptions options)
    {
        _partner = partner.Name;
        _consumer = consumer;
        _queue = queue;
        _deliverer = deliverer;
        _options = options;
        int perSlice = Math.Max(1, (int)(partner.PerSecond * options.ShareOfCapacity / 10));
        _limiter = new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
        {
            TokenLimit = perSlice,
            TokensPerPeriod = perSlice,
            ReplenishmentPeriod = TimeSpan.FromMilliseconds(100),
            QueueLimit = int.MaxValue,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
            AutoReplenishment = true,
        });
    }

    public Task<CourierStatus> StatusAsync() => Task.FromResult(new CourierStatus(_partner, _consumer, _read, _claimed, _delivered, _failed));

    protected override Task OnStartAsync()
    {
        _ = ScheduleRunAsync(TurnAsync, TimeSpan.Zero);
        return Task.CompletedTask;
    }

    protected override Task OnStopAsync()
    {
        _limiter.Dispose();
        return Task.CompletedTask;
    }

    private async Task TurnAsync()
    {
        int got = 0;
        try
        {
            IReadOnlyList<QueueEntry> claimed = await _queue.ClaimIdleAsync(_partner, _consumer, _options.ClaimIdle, _options.BatchSize);
            _claimed += claimed.Count;
            IReadOnlyList<QueueEntry> fresh = await _queue.ReadAsync(_partner, _consumer, _options.BatchSize);
            _read += fresh.Count;
            got = claimed.Count + fresh.Count;
            if (got > 0)
            {
                bool[] done = await Task.WhenAll(claimed.Concat(fresh).Select(DeliverAsync));
                string[] acks = [.. claimed.Concat(fresh).Where((_, i) => done[i]).Select(entry => entry.Id)];
                if (acks.Length > 0)
                {
                    await _queue.AckAsync(_partner, acks);
                }
            }
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // The queue is away for a moment: what was read stays pending and is claimed again.
            Logger.LogWarning(exception, "Courier of {Partner}: a turn failed; its entries stay pending", _partner);
        }

        _ = ScheduleRunAsync(TurnAsync, got > 0 ? TimeSpan.Zero : _options.IdleWait);
    }

    private async Task<bool> DeliverAsync(QueueEntry entry)
    {
        using RateLimitLease lease = await _limiter.AcquireAsync(1);
        if (await _deliverer.DeliverAsync(entry.Win, _consumer))
        {
            _delivered++;
            return true;
        }

        _failed++;
        return false;
    }
}

/// <param name="ClaimIdle">How long an entry stays pending with a consumer before another claims it.</param>
/// <param name="ShareOfCapacity">The share of the partner's capacity the courier uses, leaving headroom.</param>
public sealed record CourierOptions(TimeSpan ClaimIdle, TimeSpan IdleWait, int BatchSize = 64, double ShareOfCapacity = 0.9)
{
    public static CourierOptions Default { get; } = new(TimeSpan.FromSeconds(2), TimeSpan.FromMilliseconds(20));
}
