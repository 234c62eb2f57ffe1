using System.Diagnostics;
using System.Globalization;
using Toolkit.HighAvailability;
using Toolkit.HighAvailability.Etcd;
using Toolkit.Rpc;

// Usage: --etcd URL --root /prefix --component NAME --name NODE [--ttl s] [--renew-deadline ms] [--retry ms]
//        [--write-every ms] [--retrieve-only] [--call ADDRESS --call-every ms]
// A contender for NAME (unless --retrieve-only) that confirms its service's address when granted, and a retrieval
// listener for NAME. Prints, each with the monotonic clock's timestamp t last:
//   READY t                      the services run
//   GRANT epoch t                granted (from GrantLeadership)
//   REVOKE epoch t               the grant's token was cancelled: the instant the leadership ended in this process
//   CONFIRMED epoch address t    the address was published
//   LEADER epoch address t       retrieval heard a leader ("LEADER none - t" for none)
//   WRITE epoch seq leading|not-leading accepted|rejected|unavailable issued t
//                                with --write-every: a job graph written with the last granted epoch, whether or not
//                                this process still leads (as a leader that missed its revocation would), what
//                                HasLeadership said just before, and when the write was sent (issued)
//   WORKER address t             every node serves a fenced "worker" endpoint whose epoch follows leader retrieval
//   WORKER-EPOCH epoch t         the worker took the retrieved leader's epoch ("none" for no leader)
//   CALL epoch seq leading|not-leading accepted|rejected|unavailable issued t
//                                with --call and --call-every: a fenced call to the worker at ADDRESS with the last
//                                granted epoch, whether or not this process still leads, like WRITE
// "quit" on stdin stops the services cleanly (the lease is revoked); SIGKILL is a crash.
string? etcd = null;
string root = "/toolkit";
string component = "resourcemanager";
string name = "node";
EtcdHighAvailabilityOptions options = new();
int writeEvery = 0;
bool retrieveOnly = false;
string? callTarget = null;
int callEvery = 0;
for (int i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--etcd": etcd = args[++i]; break;
        case "--root": root = args[++i]; break;
        case "--component": component = args[++i]; break;
        case "--name": name = args[++i]; break;
        case "--ttl": options.LeaseTtl = TimeSpan.FromSeconds(int.Parse(args[++i], CultureInfo.InvariantCulture)); break;
        case "--renew-deadline": options.RenewDeadline = TimeSpan.FromMilliseconds(int.Parse(args[++i], CultureInfo.InvariantCulture)); break;
        case "--retry": options.RetryPeriod = TimeSpan.FromMilliseconds(int.Parse(args[++i], CultureInfo.InvariantCulture)); break;
        case "--write-every": writeEvery = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
        case "--retrieve-only": retrieveOnly = true; break;
        case "--call": callTarget = args[++i]; break;
        case "--call-every": callEvery = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
        default:
            Console.Error.WriteLine($"unknown argument '{args[i]}'");
            return 2;
    }
}

options.Endpoints = etcd ?? throw new ArgumentException("--etcd is required");
options.Root = root;
object output = new();
void Print(string line)
{
    lock (output)
    {
        Console.WriteLine($"{line} {Stopwatch.GetTimestamp()}");
    }
}

await using RpcService rpc = await RpcService.StartAsync(new RpcServiceOptions { Listen = "127.0.0.1:0" });
string address = $"rpc://{rpc.Address}/{component}";
FencedWorker worker = new(Print);
await rpc.StartEndpointAsync(worker, "worker");
Print($"WORKER rpc://{rpc.Address}/worker");
EtcdHighAvailabilityServices ha = new(options);
using IDisposable retrieval = ha.RetrieveLeader(component, new Listener(Print, worker));
ILeaderElection? election = null;
Contender? contender = null;
if (!retrieveOnly)
{
    election = ha.CreateLeaderElection(component);
    contender = new Contender(election, address, Print);
    await election.StartAsync(contender);
}

Print("READY");
using CancellationTokenSource quit = new();
Task writes = Task.CompletedTask;
if (writeEvery > 0 && contender is not null && election is not null)
{
    IJobGraphStore store = ha.GetJobGraphStore(component);
    writes = Task.Run(async () =>
    {
        using PeriodicTimer timer = new(TimeSpan.FromMilliseconds(writeEvery));
        long sequence = 0;
        while (await timer.WaitForNextTickAsync(quit.Token).ConfigureAwait(false))
        {
            long epoch = contender.LastEpoch;
            if (epoch == 0)
            {
                continue;
            }

            bool leading = election.HasLeadership(epoch);
            long issuedAt = Stopwatch.GetTimestamp();
            string outcome;
            try
            {
                await store.PutJobGraphAsync(epoch, $"{name}-{++sequence}", new byte[] { 1, 2, 3 });
                outcome = "accepted";
            }
            catch (LeadershipLostException)
            {
                outcome = "rejected";
            }
            catch (Exception exception) when (exception is Grpc.Core.RpcException or OperationCanceledException or HttpRequestException)
            {
                outcome = "unavailable";
            }

            Print(FormattableString.Invariant($"WRITE {epoch} {name}-{sequence} {(leading ? "leading" : "not-leading")} {outcome} {issuedAt}"));
        }
    });
}

Task calls = Task.CompletedTask;
if (callTarget is not null && callEvery > 0 && contender is not null && election is not null)
{
    IWorkerGateway target = rpc.GetRemoteGateway<IWorkerGateway>(callTarget);
    calls = Task.Run(async () =>
    {
        using PeriodicTimer timer = new(TimeSpan.FromMilliseconds(callEvery));
        long sequence = 0;
        while (await timer.WaitForNextTickAsync(quit.Token).ConfigureAwait(false))
        {
            long epoch = contender.LastEpoch;
            if (epoch == 0)
            {
                continue;
            }

            bool leading = election.HasLeadership(epoch);
            long issuedAt = Stopwatch.GetTimestamp();
            string outcome;
            try
            {
                await target.WithEpoch(epoch).WorkAsync($"{name}-{++sequence}");
                outcome = "accepted";
            }
            catch (RpcFencingException)
            {
                outcome = "rejected";
            }
            catch (RpcException)
            {
                outcome = "unavailable";
            }

            Print(FormattableString.Invariant($"CALL {epoch} {name}-{sequence} {(leading ? "leading" : "not-leading")} {outcome} {issuedAt}"));
        }
    });
}

while (await Console.In.ReadLineAsync() is { } command && command != "quit")
{
}

await quit.CancelAsync();
try
{
    await writes;
    await calls;
}
catch (OperationCanceledException)
{
}

if (election is not null)
{
    await election.DisposeAsync();
}

await ha.DisposeAsync();
return 0;

internal sealed class Contender(ILeaderElection election, string address, Action<string> print) : ILeaderContender
{
    private long _lastEpoch;

    public long LastEpoch => Volatile.Read(ref _lastEpoch);

    public void GrantLeadership(long epoch, CancellationToken leadershipLost)
    {
        Volatile.Write(ref _lastEpoch, epoch);
        print(FormattableString.Invariant($"GRANT {epoch}"));
        leadershipLost.Register(() => print(FormattableString.Invariant($"REVOKE {epoch}")));
        _ = Task.Run(async () =>
        {
            try
            {
                await election.ConfirmLeadershipAsync(epoch, address);
                print(FormattableString.Invariant($"CONFIRMED {epoch} {address}"));
            }
            catch (Exception exception) when (exception is LeadershipLostException or Grpc.Core.RpcException or OperationCanceledException)
            {
                print(FormattableString.Invariant($"CONFIRM-FAILED {epoch}"));
            }
        });
    }

    public void RevokeLeadership()
    {
    }

    public void HandleError(Exception error) => print("ERROR " + error.Message.Replace('\n', ' '));
}

internal sealed class Listener(Action<string> print, FencedWorker worker) : ILeaderRetrievalListener
{
    public void NotifyLeaderAddress(LeaderInformation? leader)
    {
        print(leader is null ? "LEADER none -" : FormattableString.Invariant($"LEADER {leader.Epoch} {leader.Address}"));
        worker.Follow(leader?.Epoch);
    }

    public void HandleError(Exception error) => print("ERROR " + error.Message.Replace('\n', ' '));
}

/// <summary>What a leader commands a worker to do: fenced, so that only the current leader's commands run.</summary>
[RpcGateway]
[RpcFenced]
public interface IWorkerGateway
{
    Task WorkAsync(string item);
}

/// <summary>A worker that takes the epoch of the leader that retrieval names, and runs only that leader's commands.</summary>
internal sealed class FencedWorker(Action<string> print) : FencedRpcEndpoint, IWorkerGateway
{
    public Task WorkAsync(string item) => Task.CompletedTask;

    public void Follow(long? epoch) => _ = RunAsync(() =>
    {
        SetEpoch(epoch);
        print(FormattableString.Invariant($"WORKER-EPOCH {(epoch is { } value ? value.ToString(CultureInfo.InvariantCulture) : "none")}"));
    });
}
