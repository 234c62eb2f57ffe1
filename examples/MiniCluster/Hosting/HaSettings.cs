using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Toolkit.HighAvailability;
using Toolkit.HighAvailability.Etcd;
using Toolkit.HighAvailability.Standalone;

namespace MiniCluster.Hosting;

/// <summary>
/// Where a process finds the cluster's leader: etcd (elections, failover, the job store in etcd), a fixed master
/// address (standalone: one master, no failover, the job store in the master's memory).
/// </summary>
/// <param name="Etcd">etcd's client URLs, comma-separated; null for no etcd.</param>
/// <param name="Root">The key prefix of this cluster in etcd.</param>
/// <param name="MasterAddress">The master's address (<c>rpc://host:port</c>) when there is no etcd.</param>
/// <param name="LeaseTtl">The etcd lease of each master; a paused or dead leader is replaced about this long after its last renewal.</param>
public sealed record HaSettings(string? Etcd, string Root, string? MasterAddress, TimeSpan LeaseTtl)
{
    /// <summary>Registers the chosen provider with a host.</summary>
    public void Configure(HighAvailabilityBuilder ha) => ha.Use(services => Create(services.GetService<ILoggerFactory>()));

    /// <summary>Makes the chosen provider's services (for a process without a host: a submitter, a test).</summary>
    public IHighAvailabilityServices Create(ILoggerFactory? loggerFactory = null)
    {
        if (Etcd is not null)
        {
            EtcdHighAvailabilityOptions options = new()
            {
                Endpoints = Etcd,
                Root = Root,
                LeaseTtl = LeaseTtl,
                // Kubernetes' proportions: stop leading two thirds into the lease, renew six times per lease.
                RenewDeadline = TimeSpan.FromSeconds(Math.Max(1, Math.Round(LeaseTtl.TotalSeconds * 2 / 3))),
                RetryPeriod = LeaseTtl / 6,
            };
            options.Validate();
            return new EtcdHighAvailabilityServices(options, loggerFactory);
        }

        return MasterAddress is not null
            ? new StandaloneHighAvailabilityServices(new Dictionary<string, string> { [Master.MasterLeadership.ComponentId] = MasterAddress })
            : throw new ArgumentException("Name etcd (--etcd http://127.0.0.1:2379) or the master (--master rpc://127.0.0.1:6123) so that this process can find the leader.");
    }
}
