using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using MiniCluster.Contracts;
using MiniCluster.Executor;

namespace MiniCluster.Hosting;

/// <summary>The roles a process can take besides the embedded run: a master (leader or standby), a task executor, a submitter.</summary>
public static class Roles
{
    /// <summary>A master: contends for the leadership, serves the dashboard, runs until stopped (Ctrl+C, SIGTERM).</summary>
    public static async Task<int> MasterAsync(string nodeId, string listen, string dashboardUrl, HaSettings ha, BlobStorage blobs, CancellationToken cancellation)
    {
        if (ha.Etcd is null)
        {
            // Without etcd this master is the only one, at its own fixed address.
            ha = ha with { MasterAddress = "rpc://" + listen };
        }

        await using WebApplication master = MasterHost.Build(nodeId, listen, dashboardUrl, ha, shared: null, blobs, consoleLog: true);
        await master.StartAsync(cancellation);
        string dashboard = master.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        Console.WriteLine($"master {nodeId} rpc://{listen} dashboard {dashboard} blobs {blobs.Directory} (HA: {blobs.HaDirectory})");
        await master.WaitForShutdownAsync(cancellation);
        return 0;
    }

    /// <summary>A task executor: finds the leader, registers, runs tasks until stopped.</summary>
    public static async Task<int> ExecutorAsync(TaskExecutorOptions executor, string? listen, HaSettings ha, CancellationToken cancellation)
    {
        using IHost host = ExecutorHost.Build(executor, listen, ha, shared: null, consoleLog: true);
        await host.StartAsync(cancellation);
        Console.WriteLine($"executor {executor.ExecutorId} with {executor.Slots} slots " + (listen is null ? "in client mode" : "at " + listen));
        await host.WaitForShutdownAsync(cancellation);
        return 0;
    }

    /// <summary>A submitter: uploads the job's input, submits the job, follows it across leaders, checks the result; 0 when it is right.</summary>
    public static async Task<int> SubmitAsync(JobSpec job, HaSettings ha, TimeSpan limit, CancellationToken cancellation)
    {
        using CancellationTokenSource timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        timeout.CancelAfter(limit);
        await using ClusterClient client = await ClusterClient.StartAsync(ha.Create(), ownsHa: true, "submitter-" + Environment.ProcessId);
        Console.WriteLine($"submitting job {job.JobId}: {job.Shards} shards of {job.ShardBytes} bytes, {job.Reducers} reducers, uploaded as blobs");
        using JobInput input = JobInput.Generate(job);
        long lastEpoch = 0;
        long lastLine = 0;
        try
        {
            JobRunner.Run run = await JobRunner.RunAsync(client, input, status =>
            {
                long now = Environment.TickCount64;
                if (status.Epoch != lastEpoch || now - lastLine >= 1_000)
                {
                    lastEpoch = status.Epoch;
                    lastLine = now;
                    Console.WriteLine(JobRunner.Line(status));
                }
            }, timeout.Token);
            JobRunner.Outcome outcome = JobRunner.Check(input, run);
            Console.WriteLine(JobRunner.Verdict(outcome));
            return outcome.Mismatch is null ? 0 : 1;
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellation.IsCancellationRequested)
        {
            Console.WriteLine($"result TIMEOUT job={job.JobId}: not finished within {limit.TotalSeconds} s");
            return 2;
        }
    }
}
