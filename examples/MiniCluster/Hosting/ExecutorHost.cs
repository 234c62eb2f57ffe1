using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using MiniCluster.Executor;
using Toolkit.Heartbeat;
using Toolkit.HighAvailability;
using Toolkit.Rpc.Hosting;

namespace MiniCluster.Hosting;

/// <summary>A task executor process: one endpoint in a Toolkit service, in client mode unless it is given an address to listen on.</summary>
public static class ExecutorHost
{
    /// <param name="listen"><c>host:port</c> to listen on, or null for client mode (the master calls back over the executor's own connection).</param>
    public static IHost Build(TaskExecutorOptions executor, string? listen, HaSettings? ha, IHighAvailabilityServices? shared, bool consoleLog)
    {
        HostApplicationBuilder builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { ApplicationName = "MiniCluster" });
        LogSettings.Configure(builder.Logging, consoleLog);
        builder.Services.AddSingleton(executor);
        ToolkitRpcBuilder rpc = builder.Services.AddToolkitRpc(options =>
            {
                options.NodeId = executor.ExecutorId;
                options.Listen = listen;
            })
            .AddEndpoint<TaskExecutor>(TaskExecutor.EndpointName)
            .AddHeartbeats(ClusterDefaults.Heartbeats);
        if (shared is not null)
        {
            builder.Services.AddSingleton(shared);
        }
        else
        {
            rpc.AddHighAvailability((ha ?? throw new ArgumentNullException(nameof(ha))).Configure);
        }

        return builder.Build();
    }
}
