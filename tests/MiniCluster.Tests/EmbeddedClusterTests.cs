using MiniCluster.Contracts;
using MiniCluster.Hosting;
using MiniCluster.Jobs;
using MiniCluster.Tests.Infrastructure;

namespace MiniCluster.Tests;

/// <summary>The embedded cluster in this process: one master, three executors in client mode, over loopback TCP.</summary>
[Collection(ProcessCollection.Name)]
public sealed class EmbeddedClusterTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(2);

    [Fact]
    public async Task A_job_completes_with_the_same_counts_as_one_thread()
    {
        using CancellationTokenSource timeout = new(Limit);
        await using EmbeddedCluster cluster = new();
        await cluster.StartAsync(executors: 3, slots: 2, "http://127.0.0.1:0", timeout.Token);
        await using ClusterClient client = await cluster.ClientAsync();
        JobSpec job = new("embedded-1", "word count", Shards: 8, ShardBytes: 256 * 1024, Reducers: 3, Seed: 5, Vocabulary: 3000, TaskPauseMs: 0);

        (JobStatus final, double seconds) = await JobRunner.RunAsync(client, job, _ => { }, timeout.Token);

        Assert.Equal(JobState.Finished, final.State);
        JobRunner.Outcome outcome = JobRunner.Check(job, final, seconds);
        Assert.Null(outcome.Mismatch);
        Assert.Equal(3000, final.Result!.DistinctWords);
        Assert.True(final.Result.TotalWords > 100_000, $"{final.Result.TotalWords} words");
        Assert.Equal(0, final.Redeployed);
    }

    [Fact]
    public async Task An_executor_stopped_mid_job_has_its_tasks_deployed_again_and_the_result_is_still_right()
    {
        using CancellationTokenSource timeout = new(Limit);
        await using EmbeddedCluster cluster = new();
        await cluster.StartAsync(executors: 3, slots: 2, "http://127.0.0.1:0", timeout.Token);
        await using ClusterClient client = await cluster.ClientAsync();
        // Tasks pause 1 s after counting, so that executor-1 certainly holds tasks when it stops.
        JobSpec job = new("embedded-2", "word count", Shards: 12, ShardBytes: 128 * 1024, Reducers: 3, Seed: 6, Vocabulary: 2000, TaskPauseMs: 1000);
        bool stopped = false;
        ClusterState? before = null;

        (JobStatus final, double seconds) = await JobRunner.RunAsync(client, job, status =>
        {
            if (!stopped && status.Tasks.Any(task => task.State == TaskState.Running && task.ExecutorId == "executor-1"))
            {
                stopped = true;
                before = client.ClusterStateAsync(timeout.Token).GetAwaiter().GetResult();
                cluster.KillExecutorAsync(0).GetAwaiter().GetResult();
            }
        }, timeout.Token);

        Assert.True(stopped, "executor-1 never ran a task");
        Assert.Contains(before!.Executors, executor => executor.ExecutorId == "executor-1");
        Assert.Equal(JobState.Finished, final.State);
        Assert.True(final.Redeployed >= 1, $"redeployed {final.Redeployed}");
        Assert.DoesNotContain(final.Tasks, task => task.ExecutorId == "executor-1");
        Assert.Null(JobRunner.Check(job, final, seconds).Mismatch);
        ClusterState after = await client.ClusterStateAsync(timeout.Token);
        Assert.DoesNotContain(after.Executors, executor => executor.ExecutorId == "executor-1");
        Assert.Equal(2, after.Executors.Length);
    }

    [Fact]
    public void The_word_count_steps_agree_with_the_reference_on_a_small_input()
    {
        JobSpec job = new("unit", "word count", Shards: 3, ShardBytes: 4096, Reducers: 2, Seed: 1, Vocabulary: 50, TaskPauseMs: 0);
        PartitionCounts[][] maps = [.. Enumerable.Range(0, job.Shards).Select(shard => WordCounter.Map(TextShards.Generate(job, shard), job.Reducers))];
        WordCount[] merged = [.. Enumerable.Range(0, job.Reducers).SelectMany(partition => WordCounter.Reduce(maps.SelectMany(map => map[partition].Counts)))];

        JobResult result = WordCounter.Result(merged, 0);
        JobResult reference = WordCounter.Reference(job);

        Assert.Null(WordCounter.Compare(reference, result));
        Assert.Equal(reference.Checksum, result.Checksum);
        Assert.All(maps.SelectMany(map => map), partition => Assert.All(partition.Counts, entry => Assert.Equal(partition.Partition, WordCounter.Partition(entry.Word, job.Reducers))));
        Assert.NotNull(WordCounter.Compare(reference, result with { Counts = [.. result.Counts.Select((entry, i) => i == 7 ? entry with { Count = entry.Count + 1 } : entry)] }));
    }
}
