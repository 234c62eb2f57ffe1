namespace Toolkit.HighAvailability.Etcd;

/// <summary>
/// Where etcd is and how leadership is kept there. The three durations follow Kubernetes' leader election: the lease
/// lives <see cref="LeaseTtl"/> after its last renewal on the server; the leader stops acting at
/// <see cref="RenewDeadline"/> after it last <em>sent</em> a renewal that succeeded, so before the lease can expire;
/// renewals go out every <see cref="RetryPeriod"/>. <c>LeaseTtl &gt; RenewDeadline &gt; 1.2 × RetryPeriod</c>.
/// </summary>
public sealed class EtcdHighAvailabilityOptions
{
    /// <summary>etcd's client URL(s), as dotnet-etcd takes them (<c>http://127.0.0.1:2379</c>, or several separated by commas).</summary>
    public string Endpoints { get; set; } = "";

    /// <summary>The prefix of every key this cluster writes; clusters sharing an etcd use different roots. <c>/toolkit</c> by default.</summary>
    public string Root { get; set; } = "/toolkit";

    /// <summary>The lease's time to live, in whole seconds, at least 2 (etcd raises shorter ones); 15 s by default.</summary>
    public TimeSpan LeaseTtl { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>How long after its last successful renewal a leader keeps acting; 10 s by default.</summary>
    public TimeSpan RenewDeadline { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How often the lease is renewed, and how long a failed etcd call waits before it is tried again; 2 s by default.</summary>
    public TimeSpan RetryPeriod { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Throws an <see cref="ArgumentException"/> naming the first setting that cannot work.</summary>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(Endpoints))
        {
            throw new ArgumentException("The etcd endpoints are not set: give etcd's client URL, such as http://127.0.0.1:2379.", nameof(Endpoints));
        }

        if (string.IsNullOrWhiteSpace(Root) || !Root.StartsWith('/') || Root.EndsWith('/'))
        {
            throw new ArgumentException($"The root '{Root}' must start with '/' and not end with one, such as /toolkit/cluster-1.", nameof(Root));
        }

        if (LeaseTtl < TimeSpan.FromSeconds(2) || LeaseTtl.Ticks % TimeSpan.TicksPerSecond != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(LeaseTtl), LeaseTtl, "The lease TTL must be whole seconds, at least 2 (etcd raises a shorter one, which would break the renew deadline's promise).");
        }

        if (RenewDeadline >= LeaseTtl)
        {
            throw new ArgumentOutOfRangeException(nameof(RenewDeadline), RenewDeadline, $"The renew deadline must be shorter than the lease TTL ({LeaseTtl}): a leader must stop before its lease can expire.");
        }

        if (RetryPeriod <= TimeSpan.Zero || RenewDeadline <= RetryPeriod * 1.2)
        {
            throw new ArgumentOutOfRangeException(nameof(RetryPeriod), RetryPeriod, $"The retry period must be positive and the renew deadline ({RenewDeadline}) longer than 1.2 times it, so that a renewal can fail and be retried before the deadline.");
        }
    }

    internal EtcdHighAvailabilityOptions Clone() => new()
    {
        Endpoints = Endpoints,
        Root = Root,
        LeaseTtl = LeaseTtl,
        RenewDeadline = RenewDeadline,
        RetryPeriod = RetryPeriod,
    };
}
