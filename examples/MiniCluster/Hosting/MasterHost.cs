using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using MiniCluster.Dashboard;
using MiniCluster.Master;
using Toolkit.Blob;
using Toolkit.Heartbeat;
using Toolkit.HighAvailability;
using Toolkit.Rpc.Hosting;

namespace MiniCluster.Hosting;

/// <summary>
/// A master process: the resource manager, the dispatcher and a blob server as endpoints of one Toolkit service (job
/// masters join it per job), its contender for the cluster's leadership, and the web dashboard — all in one ASP.NET
/// Core host.
/// </summary>
public static class MasterHost
{
    /// <param name="nodeId">The service's node id (it names the master in logs and on the dashboard).</param>
    /// <param name="listen"><c>host:port</c> of the RPC service; executors and submitters connect to it.</param>
    /// <param name="dashboardUrl">Where the dashboard listens (<c>http://127.0.0.1:8081</c>; port 0 picks one).</param>
    /// <param name="ha">The provider (etcd, standalone), or null to use <paramref name="shared"/>.</param>
    /// <param name="shared">HA services shared with other hosts of this process (the embedded cluster); the caller disposes them.</param>
    /// <param name="blobs">Where the blob server stores the jobs' inputs.</param>
    public static WebApplication Build(string nodeId, string listen, string dashboardUrl, HaSettings? ha, IHighAvailabilityServices? shared, BlobStorage blobs, bool consoleLog)
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ApplicationName = "MiniCluster" });
        LogSettings.Configure(builder.Logging, consoleLog);
        builder.WebHost.UseUrls(dashboardUrl);
        builder.Services.AddSingleton<ResourceManager>();
        builder.Services.AddSingleton<Dispatcher>();
        ToolkitRpcBuilder rpc = builder.Services.AddToolkitRpc(options =>
            {
                options.NodeId = nodeId;
                options.Listen = listen;
            })
            .AddEndpoint(ResourceManager.EndpointName, services => services.GetRequiredService<ResourceManager>())
            .AddEndpoint(Dispatcher.EndpointName, services => services.GetRequiredService<Dispatcher>())
            .AddHeartbeats(ClusterDefaults.Heartbeats)
            .AddBlobServer(options =>
            {
                options.EndpointName = BlobStorage.EndpointName;
                options.Directory = blobs.Directory;
                options.HaDirectory = blobs.HaDirectory;
                // Transfers on a port of their own, on the RPC service's host.
                options.Listen = listen[..listen.LastIndexOf(':')] + ":0";
            });
        if (shared is not null)
        {
            // An instance, not a factory: the host must not dispose what other hosts of the process still use.
            builder.Services.AddSingleton(shared);
        }
        else
        {
            rpc.AddHighAvailability((ha ?? throw new ArgumentNullException(nameof(ha))).Configure);
        }

        // Hosted services start in this order, after the RPC service and its endpoints: contend, then serve the dashboard feed.
        builder.Services.AddSingleton<MasterLeadership>();
        builder.Services.AddHostedService(services => services.GetRequiredService<MasterLeadership>());
        builder.Services.AddSingleton<DashboardFeed>();
        builder.Services.AddHostedService(services => services.GetRequiredService<DashboardFeed>());
        WebApplication app = builder.Build();
        DashboardEndpoints.Map(app);
        return app;
    }
}
