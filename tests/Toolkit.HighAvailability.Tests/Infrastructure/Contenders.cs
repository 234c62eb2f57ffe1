using System.Globalization;
using Toolkit.Testing.Processes;

namespace Toolkit.HighAvailability.Tests.Infrastructure;

/// <summary>What a test node printed, parsed: its kind, its fields, and the monotonic instant it printed at.</summary>
public sealed record NodeEvent(string Node, string Kind, string[] Fields, long At)
{
    public long Epoch => long.Parse(Fields[0], CultureInfo.InvariantCulture);

    public static NodeEvent? Parse(string node, string line)
    {
        string[] parts = line.Split(' ');
        return parts.Length < 2 || !long.TryParse(parts[^1], CultureInfo.InvariantCulture, out long at)
            ? null
            : new NodeEvent(node, parts[0], parts[1..^1], at);
    }
}

/// <summary>Test nodes (contenders and listeners) in processes of their own, against the fixture's etcd, under one fresh root.</summary>
public sealed class Contenders(EtcdServer etcd, string component = "resourcemanager") : IAsyncDisposable
{
    public static readonly TimeSpan Ttl = TimeSpan.FromSeconds(3);
    public static readonly TimeSpan RenewDeadline = TimeSpan.FromSeconds(2);
    public static readonly TimeSpan RetryPeriod = TimeSpan.FromMilliseconds(500);
    public static readonly TimeSpan Limit = TimeSpan.FromSeconds(30);

    private readonly List<ChildProcess> _nodes = [];

    public string Root { get; } = "/test/" + Guid.NewGuid().ToString("N")[..12];

    public string Component => component;

    public IReadOnlyList<ChildProcess> Nodes => _nodes;

    public async Task<ChildProcess> StartAsync(string name, params string[] extra)
    {
        ChildProcess node = ChildProcess.Start(name, HelperPaths.Dll(typeof(Contenders).Assembly, "Toolkit.HighAvailability.TestNode"),
        [
            "--etcd", etcd.Url, "--root", Root, "--component", component, "--name", name,
            "--ttl", ((int)Ttl.TotalSeconds).ToString(CultureInfo.InvariantCulture),
            "--renew-deadline", ((int)RenewDeadline.TotalMilliseconds).ToString(CultureInfo.InvariantCulture),
            "--retry", ((int)RetryPeriod.TotalMilliseconds).ToString(CultureInfo.InvariantCulture),
            .. extra,
        ]);
        _nodes.Add(node);
        await node.WaitForLineAsync("READY", Limit);
        return node;
    }

    public static IEnumerable<NodeEvent> Events(ChildProcess node) =>
        node.Lines.Select(line => NodeEvent.Parse(node.Name, line.Text)).OfType<NodeEvent>();

    public IEnumerable<NodeEvent> AllEvents => _nodes.SelectMany(Events);

    /// <summary>Waits for a GRANT from any node with an epoch above <paramref name="above"/>.</summary>
    public async Task<NodeEvent> WaitForGrantAsync(long above, TimeSpan limit)
    {
        using CancellationTokenSource timeout = new(limit);
        while (true)
        {
            if (AllEvents.FirstOrDefault(e => e.Kind == "GRANT" && e.Epoch > above) is { } grant)
            {
                return grant;
            }

            if (timeout.IsCancellationRequested)
            {
                throw new TimeoutException($"No grant above term {above} within {limit.TotalSeconds} s:\n" + string.Join("\n", _nodes.Select(n => $"--- {n.Name}\n{n.Tail(15)}")));
            }

            await Task.Delay(10);
        }
    }

    public ChildProcess NodeNamed(string name) => _nodes.Single(node => node.Name == name);

    public async ValueTask DisposeAsync()
    {
        foreach (ChildProcess node in _nodes)
        {
            await node.DisposeAsync();
        }
    }
}
