using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Toolkit.HighAvailability.Etcd;

/// <summary>Chooses etcd as the HA provider.</summary>
public static class EtcdHighAvailabilityBuilderExtensions
{
    /// <summary>High availability on etcd, with options set by <paramref name="configure"/> (validated here: a bad one throws naming it).</summary>
    /// <example><c>.AddHighAvailability(ha =&gt; ha.UseEtcd(etcd =&gt; { etcd.Endpoints = "http://127.0.0.1:2379"; etcd.Root = "/toolkit/prod"; }))</c></example>
    public static HighAvailabilityBuilder UseEtcd(this HighAvailabilityBuilder builder, Action<EtcdHighAvailabilityOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        EtcdHighAvailabilityOptions options = new();
        configure(options);
        options.Validate();
        return builder.Use(services => new EtcdHighAvailabilityServices(options, services.GetService<ILoggerFactory>(), services.GetService<TimeProvider>()));
    }

    /// <summary>High availability on etcd at <paramref name="endpoints"/> (<c>http://127.0.0.1:2379</c>), with the default durations.</summary>
    public static HighAvailabilityBuilder UseEtcd(this HighAvailabilityBuilder builder, string endpoints) =>
        builder.UseEtcd(options => options.Endpoints = endpoints);
}
