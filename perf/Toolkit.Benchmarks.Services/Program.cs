using System.Diagnostics;
using System.Globalization;
using Toolkit.Benchmarks.Services;

// Usage: Toolkit.Benchmarks.Services heartbeat-cpu|detection|failover [options]; see README.md.
if (args.Length == 0)
{
    Console.Error.WriteLine("usage: heartbeat-cpu | detection | failover  [--option value ...]");
    return 2;
}

Dictionary<string, string> options = [];
for (int i = 1; i + 1 < args.Length; i += 2)
{
    options[args[i].TrimStart('-')] = args[i + 1];
}

int Option(string name, int fallback) => options.TryGetValue(name, out string? value) ? int.Parse(value, CultureInfo.InvariantCulture) : fallback;
string OptionText(string name, string fallback) => options.GetValueOrDefault(name, fallback);

Console.WriteLine($"machine: nproc={Environment.ProcessorCount} cpu={Machine.CpuModel()} loadavg={Machine.LoadAverage()} dotnet={Environment.Version}");
Stopwatch total = Stopwatch.StartNew();
int status = args[0] switch
{
    "heartbeat-cpu" => await HeartbeatCpu.RunAsync(Option("targets", 10_000), Option("interval-ms", 1000), Option("warmup-s", 10), Option("window-s", 30), Option("runs", 3), options.GetValueOrDefault("receive-spin-ms")),
    "detection" => await Detection.RunAsync(Option("runs", 40), Option("interval-ms", 1000), Option("threshold", 2), OptionText("mode", "frozen")),
    "failover" => await Failover.RunAsync(Option("kills", 20), Option("ttl-s", 3), Option("renew-deadline-ms", 2000), Option("retry-ms", 500)),
    _ => Usage(args[0]),
};
Console.WriteLine($"done in {total.Elapsed.TotalSeconds:0} s; loadavg={Machine.LoadAverage()}");
return status;

static int Usage(string mode)
{
    Console.Error.WriteLine($"unknown mode '{mode}': heartbeat-cpu, detection or failover");
    return 2;
}
