using System.CommandLine;
using MiniCluster.Contracts;
using MiniCluster.Executor;
using MiniCluster.Hosting;

// The mini cluster. With no command it runs the whole cluster in this process, submits a word count, shows it live and
// checks the result (exit 0 when right). The commands run one part each as its own process, with etcd for HA.
Option<int> executors = new("--executors") { Description = "Task executors of the embedded cluster", DefaultValueFactory = _ => 3 };
Option<int> slots = new("--slots") { Description = "Slots per task executor", DefaultValueFactory = _ => 2 };
Option<string> jobId = new("--job-id") { Description = "The job's id (a submitter that retries keeps it)", DefaultValueFactory = _ => "wordcount-" + Guid.NewGuid().ToString("N")[..6] };
Option<int> shards = new("--shards") { Description = "Input shards, one map task each", DefaultValueFactory = _ => 24 };
Option<int> shardKb = new("--shard-kb") { Description = "Size of each shard in KiB", DefaultValueFactory = _ => 4096 };
Option<int> reducers = new("--reducers") { Description = "Reduce tasks", DefaultValueFactory = _ => 4 };
Option<int> vocabulary = new("--vocabulary") { Description = "Distinct words the text is made of", DefaultValueFactory = _ => 5000 };
Option<int> seed = new("--seed") { Description = "Seed of the generated text", DefaultValueFactory = _ => 17 };
Option<int> pauseMs = new("--pause-ms") { Description = "A pause after each task, to watch (and break) a small job", DefaultValueFactory = _ => 0 };
Option<string> dashboard = new("--dashboard") { Description = "Where the master serves the dashboard", DefaultValueFactory = _ => "http://127.0.0.1:8081" };
Option<bool> killExecutor = new("--kill-executor") { Description = "Embedded run: stop executor-1 when half the maps are done" };
Option<bool> keepOpen = new("--keep-open") { Description = "Embedded run: keep the cluster and its dashboard up after the job, until Ctrl+C" };
Option<string?> etcd = new("--etcd") { Description = "etcd client URLs (comma-separated): leader election, retrieval and the job stores" };
Option<string> root = new("--root") { Description = "The cluster's key prefix in etcd", DefaultValueFactory = _ => "/minicluster" };
Option<int> leaseTtl = new("--lease-ttl") { Description = "Seconds of each master's etcd lease: how long a dead or paused leader keeps the lead", DefaultValueFactory = _ => 15 };
Option<string?> master = new("--master") { Description = "Without etcd: the master's address, rpc://host:port" };
Option<string> listen = new("--listen") { Description = "host:port of the master's RPC service", DefaultValueFactory = _ => "127.0.0.1:6123" };
Option<string?> executorListen = new("--listen") { Description = "host:port to listen on; by default the executor runs in client mode" };
Option<string?> nodeId = new("--id") { Description = "The process's id (node id of a master, resource id of an executor)" };
Option<string?> blobDir = new("--blob-dir") { Description = "This master's blob directory (default: under the temporary directory)" };
Option<string?> blobHaDir = new("--blob-ha-dir") { Description = "The blob directory all masters share, so a new leader serves the inputs (default: under the temporary directory; a shared mount across machines)" };
Option<string?> cacheDir = new("--cache-dir") { Description = "The executor's blob cache directory (default: under the temporary directory)" };
Option<int> timeoutSeconds = new("--timeout") { Description = "Seconds the submitter waits for the job", DefaultValueFactory = _ => 600 };

RootCommand root_ = new("A small Flink on Toolkit: resource manager, dispatcher, job masters and task executors, with HA and a web dashboard.");
foreach (Option option in new Option[] { executors, slots, jobId, shards, shardKb, reducers, vocabulary, seed, pauseMs, dashboard, killExecutor, keepOpen })
{
    root_.Options.Add(option);
}

root_.SetAction((parse, cancellation) => EmbeddedCluster.RunAsync(
    new EmbeddedRunOptions(parse.GetValue(executors), parse.GetValue(slots), parse.GetValue(dashboard)!, Job(parse), parse.GetValue(killExecutor), parse.GetValue(keepOpen)),
    cancellation));

Command masterCommand = new("master", "Run a master: resource manager, dispatcher and dashboard; the leader, or a standby while another leads");
Command standbyCommand = new("standby", "Run a standby master (the same as master: with etcd, whichever starts second waits as standby)");
foreach (Command command in new[] { masterCommand, standbyCommand })
{
    foreach (Option option in new Option[] { listen, dashboard, etcd, root, leaseTtl, nodeId, blobDir, blobHaDir })
    {
        command.Options.Add(option);
    }

    command.SetAction((parse, cancellation) =>
    {
        string id = parse.GetValue(nodeId) ?? "master-" + Environment.ProcessId;
        BlobStorage defaults = BlobStorage.Default(parse.GetValue(etcd) is null ? parse.GetValue(listen)! : parse.GetValue(root)!, id);
        BlobStorage blobs = new(parse.GetValue(blobDir) ?? defaults.Directory, parse.GetValue(blobHaDir) ?? defaults.HaDirectory);
        return Roles.MasterAsync(id, parse.GetValue(listen)!, parse.GetValue(dashboard)!, Ha(parse), blobs, cancellation);
    });
    root_.Subcommands.Add(command);
}

Command executorCommand = new("executor", "Run a task executor: finds the leader, registers its slots, runs tasks");
foreach (Option option in new Option[] { slots, executorListen, etcd, root, leaseTtl, master, nodeId, cacheDir })
{
    executorCommand.Options.Add(option);
}

executorCommand.SetAction((parse, cancellation) => Roles.ExecutorAsync(
    new TaskExecutorOptions { ExecutorId = parse.GetValue(nodeId) ?? "executor-" + Environment.ProcessId, Slots = parse.GetValue(slots), CacheDirectory = parse.GetValue(cacheDir) },
    parse.GetValue(executorListen), Ha(parse), cancellation));
root_.Subcommands.Add(executorCommand);

Command submitCommand = new("submit", "Submit a word count, follow it across leaders, check its result against one thread's");
foreach (Option option in new Option[] { jobId, shards, shardKb, reducers, vocabulary, seed, pauseMs, etcd, root, leaseTtl, master, timeoutSeconds })
{
    submitCommand.Options.Add(option);
}

submitCommand.SetAction((parse, cancellation) => Roles.SubmitAsync(Job(parse), Ha(parse), TimeSpan.FromSeconds(parse.GetValue(timeoutSeconds)), cancellation));
root_.Subcommands.Add(submitCommand);

return await root_.Parse(args).InvokeAsync();

JobSpec Job(ParseResult parse) => new(
    parse.GetValue(jobId)!, "word count", parse.GetValue(shards), parse.GetValue(shardKb) * 1024, parse.GetValue(reducers), parse.GetValue(seed), parse.GetValue(vocabulary), parse.GetValue(pauseMs));

HaSettings Ha(ParseResult parse) => new(parse.GetValue(etcd), parse.GetValue(root)!, parse.GetValue(master), TimeSpan.FromSeconds(parse.GetValue(leaseTtl)));
