using MiniCluster.Contracts;
using MiniCluster.Hosting;
using MiniCluster.Jobs;
using MiniCluster.Tests.Infrastructure;
using Toolkit.Blob;
using Toolkit.Rpc;

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
        using JobInput input = JobInput.Generate(job);

        JobRunner.Run run = await JobRunner.RunAsync(client, input, _ => { }, timeout.Token);

        JobStatus final = run.Final;
        Assert.Equal(JobState.Finished, final.State);
        JobRunner.Outcome outcome = JobRunner.Check(input, run);
        Assert.Null(outcome.Mismatch);
        Assert.Equal(3000, final.Result!.DistinctWords);
        Assert.True(final.Result.TotalWords > 100_000, $"{final.Result.TotalWords} words");
        Assert.Equal(0, final.Redeployed);

        // The tasks ran on blobs: the program and every shard are in the executors' caches, each file verified against
        // its key, and the finished job's blobs are gone from the master and from the blob HA store.
        string[] uploaded = [.. input.ShardFiles.Append(input.ProgramFile).Select(file => BlobKey.Compute(File.ReadAllBytes(file)).Hex)];
        string[] cached = [.. Directory.EnumerateFiles(cluster.BlobDirectory, "*", SearchOption.AllDirectories)
            .Where(file => file.Contains($"{Path.DirectorySeparatorChar}cache-executor-", StringComparison.Ordinal) && file.Contains(job.JobId, StringComparison.Ordinal))];
        Assert.All(cached, file => Assert.Equal(Path.GetFileName(file), BlobKey.Compute(File.ReadAllBytes(file)).Hex));
        Assert.Equal(uploaded.Order(StringComparer.Ordinal), cached.Select(Path.GetFileName).Distinct().Order(StringComparer.Ordinal));
        Assert.DoesNotContain(Directory.EnumerateFiles(cluster.BlobDirectory, "*", SearchOption.AllDirectories),
            file => file.Contains($"{Path.DirectorySeparatorChar}blobs-", StringComparison.Ordinal) && file.Contains(job.JobId, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_job_whose_input_was_not_uploaded_is_refused_naming_the_missing_blob()
    {
        using CancellationTokenSource timeout = new(Limit);
        await using EmbeddedCluster cluster = new();
        await cluster.StartAsync(executors: 1, slots: 1, "http://127.0.0.1:0", timeout.Token);
        await using ClusterClient client = await cluster.ClientAsync();
        JobSpec job = new("not-uploaded", "word count", Shards: 2, ShardBytes: 1024, Reducers: 1, Seed: 1, Vocabulary: 10, TaskPauseMs: 0);
        using JobInput input = JobInput.Generate(job);
        string program = (await client.UploadAsync(job.JobId, input.ProgramFile, timeout.Token)).Hex;
        string first = (await client.UploadAsync(job.JobId, input.ShardFiles[0], timeout.Token)).Hex;
        string missing = BlobKey.Compute(File.ReadAllBytes(input.ShardFiles[1])).Hex;

        RpcRemoteException noKeys = await Assert.ThrowsAsync<RpcRemoteException>(() => client.SubmitAsync(job, timeout.Token));
        RpcRemoteException notThere = await Assert.ThrowsAsync<RpcRemoteException>(() =>
            client.SubmitAsync(job with { ProgramBlob = program, InputBlobs = [first, missing] }, timeout.Token));

        Assert.Contains("needs the blob keys of its program and of its 2 shards", noKeys.RemoteMessage, StringComparison.Ordinal);
        Assert.Contains($"The shard 1 of job not-uploaded (blob {missing}) is not on the blob server", notThere.RemoteMessage, StringComparison.Ordinal);
        Assert.Equal(JobState.Unknown, (await client.Dispatcher(client.Leader!).GetJobStatusAsync(job.JobId)).State);
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
        using JobInput input = JobInput.Generate(job);
        bool stopped = false;
        ClusterState? before = null;

        JobRunner.Run run = await JobRunner.RunAsync(client, input, status =>
        {
            if (!stopped && status.Tasks.Any(task => task.State == TaskState.Running && task.ExecutorId == "executor-1"))
            {
                stopped = true;
                before = client.ClusterStateAsync(timeout.Token).GetAwaiter().GetResult();
                cluster.KillExecutorAsync(0).GetAwaiter().GetResult();
            }
        }, timeout.Token);
        JobStatus final = run.Final;

        Assert.True(stopped, "executor-1 never ran a task");
        Assert.Contains(before!.Executors, executor => executor.ExecutorId == "executor-1");
        Assert.Equal(JobState.Finished, final.State);
        Assert.True(final.Redeployed >= 1, $"redeployed {final.Redeployed}");
        Assert.DoesNotContain(final.Tasks, task => task.ExecutorId == "executor-1");
        Assert.Null(JobRunner.Check(input, run).Mismatch);
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
        using JobInput input = JobInput.Generate(job);
        JobResult reference = input.Reference();

        Assert.Null(WordCounter.Compare(reference, result));
        Assert.Equal(reference.Checksum, result.Checksum);
        Assert.All(maps.SelectMany(map => map), partition => Assert.All(partition.Counts, entry => Assert.Equal(partition.Partition, WordCounter.Partition(entry.Word, job.Reducers))));
        Assert.NotNull(WordCounter.Compare(reference, result with { Counts = [.. result.Counts.Select((entry, i) => i == 7 ? entry with { Count = entry.Count + 1 } : entry)] }));
    }
}
