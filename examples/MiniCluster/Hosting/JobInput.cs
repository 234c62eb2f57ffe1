using System.Diagnostics;
using System.Globalization;
using MiniCluster.Contracts;
using MiniCluster.Jobs;

namespace MiniCluster.Hosting;

/// <summary>
/// The submitter's copy of a job's input: the text shards generated into files of a temporary directory, and the
/// program (the job's artifact). <see cref="UploadAsync"/> ships them to the leader's blob server as permanent blobs of
/// the job; the single-threaded reference counts the very same files. Disposing deletes the directory.
/// </summary>
public sealed class JobInput : IDisposable
{
    private readonly DirectoryInfo _directory;

    private JobInput(JobSpec job, DirectoryInfo directory, string[] shardFiles, string programFile)
    {
        Job = job;
        _directory = directory;
        ShardFiles = shardFiles;
        ProgramFile = programFile;
    }

    /// <summary>The job as given, without blob keys.</summary>
    public JobSpec Job { get; }

    /// <summary>One file per shard, in shard order.</summary>
    public IReadOnlyList<string> ShardFiles { get; }

    /// <summary>The program the tasks run (<see cref="WordCountProgram"/>).</summary>
    public string ProgramFile { get; }

    /// <summary>Generates <paramref name="job"/>'s shards and program into a new temporary directory.</summary>
    public static JobInput Generate(JobSpec job)
    {
        DirectoryInfo directory = Directory.CreateTempSubdirectory("minicluster-input-");
        try
        {
            string[] shards = new string[job.Shards];
            for (int shard = 0; shard < job.Shards; shard++)
            {
                shards[shard] = Path.Combine(directory.FullName, string.Create(CultureInfo.InvariantCulture, $"shard-{shard:D4}.txt"));
                File.WriteAllBytes(shards[shard], TextShards.Generate(job, shard));
            }

            string program = Path.Combine(directory.FullName, "program.txt");
            File.WriteAllBytes(program, new WordCountProgram(job.Reducers).ToBytes());
            return new JobInput(job, directory, shards, program);
        }
        catch
        {
            directory.Delete(recursive: true);
            throw;
        }
    }

    /// <summary>
    /// Uploads the program and every shard to the leader's blob server (on the next leader if it fails meanwhile);
    /// returns the job with their keys, ready to submit, and the seconds the upload took.
    /// </summary>
    public async Task<(JobSpec Job, double Seconds)> UploadAsync(ClusterClient client, CancellationToken cancellation)
    {
        long started = Stopwatch.GetTimestamp();
        string program = (await client.UploadAsync(Job.JobId, ProgramFile, cancellation)).Hex;
        string[] shards = new string[ShardFiles.Count];
        for (int shard = 0; shard < shards.Length; shard++)
        {
            shards[shard] = (await client.UploadAsync(Job.JobId, ShardFiles[shard], cancellation)).Hex;
        }

        return (Job with { ProgramBlob = program, InputBlobs = shards }, Stopwatch.GetElapsedTime(started).TotalSeconds);
    }

    /// <summary>The single-threaded count of the shard files.</summary>
    public JobResult Reference() => WordCounter.Reference(ShardFiles);

    public void Dispose() => _directory.Delete(recursive: true);
}
