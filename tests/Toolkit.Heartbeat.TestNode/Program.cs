using System.Diagnostics;
using Toolkit.Heartbeat;
using Toolkit.Heartbeat.TestNode;
using Toolkit.Rpc;

// Usage:
//   worker [--listen host:port] [--names n]      serves n worker endpoints w0..w(n-1) (1 by default); prints "LISTENING host:port"
//   master --target id=rpc://host:port/name ... [--targets-at rpc://host:port --count n]
//          [--interval ms] [--timeout ms] [--threshold n] [--no-stall-awareness] [--quiet] [--receive-spin-ms ms]
//          monitors the targets; prints "HEARTBEAT id t", "TIMEOUT id t", "UNREACHABLE id t" (t: the monotonic clock's
//          timestamp), with --quiet only the first heartbeat of each target; "CPU utime+stime seconds" on "cpu" in stdin.
// Runs until stdin closes or the process is killed.
if (args.Length == 0)
{
    Console.Error.WriteLine("usage: worker|master [options]");
    return 2;
}

string mode = args[0];
string listen = "127.0.0.1:0";
int names = 1;
List<(string Id, string Address)> targets = [];
HeartbeatOptions options = new() { Interval = TimeSpan.FromMilliseconds(500), Timeout = TimeSpan.FromMilliseconds(1500) };
bool quiet = false;
TimeSpan? receiveSpin = null;
for (int i = 1; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--listen":
            listen = args[++i];
            break;
        case "--names":
            names = int.Parse(args[++i], System.Globalization.CultureInfo.InvariantCulture);
            break;
        case "--target":
            string[] parts = args[++i].Split('=', 2);
            targets.Add((parts[0], parts[1]));
            break;
        case "--targets-at":
            string service = args[++i];
            int count = int.Parse(args[++i], System.Globalization.CultureInfo.InvariantCulture);
            for (int n = 0; n < count; n++)
            {
                targets.Add(($"w{n}", $"{service}/w{n}"));
            }

            break;
        case "--interval":
            options.Interval = TimeSpan.FromMilliseconds(double.Parse(args[++i], System.Globalization.CultureInfo.InvariantCulture));
            break;
        case "--timeout":
            options.Timeout = TimeSpan.FromMilliseconds(double.Parse(args[++i], System.Globalization.CultureInfo.InvariantCulture));
            break;
        case "--threshold":
            options.FailureThreshold = int.Parse(args[++i], System.Globalization.CultureInfo.InvariantCulture);
            break;
        case "--no-stall-awareness":
            options.StallThreshold = Timeout.InfiniteTimeSpan;
            break;
        case "--quiet":
            quiet = true;
            break;
        case "--receive-spin-ms":
            receiveSpin = TimeSpan.FromMilliseconds(double.Parse(args[++i], System.Globalization.CultureInfo.InvariantCulture));
            break;
        default:
            Console.Error.WriteLine($"unknown argument '{args[i]}'");
            return 2;
    }
}

HeartbeatServices heartbeats = new(options);
RpcTransportOptions transport = receiveSpin is { } spin ? new() { ReceiveSpin = spin } : new();
await using RpcService rpc = await RpcService.StartAsync(new RpcServiceOptions { Listen = mode == "worker" ? listen : null, Transport = transport });
if (mode == "worker")
{
    for (int n = 0; n < names; n++)
    {
        await rpc.StartEndpointAsync(new WorkerEndpoint(heartbeats) { KeepPayloads = false }, $"w{n}");
    }

    Console.WriteLine($"LISTENING {rpc.Address}");
}
else if (mode == "master")
{
    HashSet<string> seen = [];
    MasterEndpoint master = new(heartbeats, (kind, id) =>
    {
        if (!quiet || kind != "HEARTBEAT" || seen.Add(id))
        {
            Console.WriteLine($"{kind} {id} {Stopwatch.GetTimestamp()}");
        }
    });
    await rpc.StartEndpointAsync(master, "master");

    // A master monitors workers that registered with it, over connections that exist: connect to each worker service
    // and make one call first, so that connecting and the first call's code loading do not count as missed heartbeats.
    foreach ((_, string address) in targets.DistinctBy(target => target.Address[..target.Address.LastIndexOf('/')]))
    {
        IWorkerGateway worker = await rpc.ConnectAsync<IWorkerGateway>(address);
        await worker.HeartbeatFromMasterAsync("master", new MasterPayload("master", 0), TimeSpan.FromSeconds(30));
    }

    await master.RunAsync(() =>
    {
        foreach ((string id, string address) in targets)
        {
            master.Monitor(id, address);
        }
    });
    Console.WriteLine($"MONITORING {targets.Count}");
}
else
{
    Console.Error.WriteLine($"unknown mode '{mode}'");
    return 2;
}

while (await Console.In.ReadLineAsync() is { } command)
{
    if (command == "cpu")
    {
        using Process self = Process.GetCurrentProcess();
        Console.WriteLine($"CPU {self.TotalProcessorTime.TotalSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture)}");
    }
}

return 0;
