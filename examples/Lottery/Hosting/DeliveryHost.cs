using Lottery.Contracts;
using Lottery.Delivery;
using Toolkit.Rpc;

namespace Lottery.Hosting;

/// <summary>The delivery service: the cash desk (fast lane) and one courier per coupon partner (slow lane).</summary>
public sealed class DeliveryHost : IAsyncDisposable
{
    private DeliveryHost(RpcService service, CashDesk cashDesk, IReadOnlyList<CouponCourier> couriers, PrizeDeliverer deliverer, SimulatedPartner partner)
    {
        Service = service;
        CashDesk = cashDesk;
        Couriers = couriers;
        Deliverer = deliverer;
        Partner = partner;
    }

    public RpcService Service { get; }

    public CashDesk CashDesk { get; }

    public IReadOnlyList<CouponCourier> Couriers { get; }

    public PrizeDeliverer Deliverer { get; }

    public SimulatedPartner Partner { get; }

    public string CashDeskAddress => $"rpc://{Service.Address}/cashdesk";

    public static async Task<DeliveryHost> StartAsync(ActivityPlan plan, Backends backends, double partnerFailureRate, string consumerPrefix,
        string listen = "127.0.0.1:0", CourierOptions? courierOptions = null)
    {
        RpcService service = await RpcService.StartAsync(new RpcServiceOptions { Listen = listen, NodeId = $"delivery-{consumerPrefix}" }).ConfigureAwait(false);
        SimulatedPartner partner = new(backends.Book, plan.Partners, TimeProvider.System, partnerFailureRate);
        PrizeDeliverer deliverer = new(plan, backends.Store, partner);
        CashDesk cashDesk = await service.StartEndpointAsync(new CashDesk(deliverer), "cashdesk").ConfigureAwait(false);
        List<CouponCourier> couriers = [];
        foreach (string name in plan.Prizes.Where(p => p.Kind == PrizeKind.Coupon).Select(p => p.Partner).Distinct())
        {
            CouponCourier courier = new(plan.Partner(name), $"{consumerPrefix}-{name}", backends.Queue, deliverer, courierOptions ?? CourierOptions.Default);
            couriers.Add(await service.StartEndpointAsync(courier, $"courier-{name}").ConfigureAwait(false));
        }

        return new DeliveryHost(service, cashDesk, couriers, deliverer, partner);
    }

    /// <summary>
    /// Waits until the coupon streams have nothing pending or unread and the count of delivered prizes has stopped
    /// moving for half a second, or <paramref name="timeout"/> passes. What is still undelivered then is reconciliation's.
    /// </summary>
    public static async Task DrainAsync(ActivityPlan plan, Backends backends, TimeSpan timeout)
    {
        using CancellationTokenSource deadline = new(timeout);
        string[] partners = [.. plan.Prizes.Where(p => p.Kind == PrizeKind.Coupon).Select(p => p.Partner).Distinct()];
        int lastDelivered = -1;
        try
        {
            while (true)
            {
                long pending = 0;
                foreach (string partner in partners)
                {
                    pending += await backends.Queue.PendingAsync(partner).ConfigureAwait(false);
                }

                int delivered = (await backends.Store.ReadDeliveredAsync(plan).ConfigureAwait(false)).Count;
                if (pending == 0 && delivered == lastDelivered)
                {
                    return;
                }

                lastDelivered = pending == 0 ? delivered : -1;
                await Task.Delay(500, deadline.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    public ValueTask DisposeAsync() => Service.DisposeAsync();
}
