namespace Toolkit.Rpc.Hosting.Tests;

[RpcGateway]
public interface IInventoryGateway
{
    Task<int> ReserveAsync(string sku, int count);

    Task<int> ReserveSlowlyAsync(string sku, int count, [RpcTimeout] TimeSpan timeout);
}

/// <summary>A dependency the endpoint gets from the host's services.</summary>
public sealed class Stock
{
    public Dictionary<string, int> Items { get; } = new(StringComparer.Ordinal) { ["pen"] = 10 };

    public TaskCompletionSource Gate { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public bool SlowCallStarted { get; set; }
}

/// <summary>Where endpoints note their start and stop, to check the order.</summary>
public sealed class Journal
{
    private readonly List<string> _entries = [];

    public void Add(string entry)
    {
        lock (_entries)
        {
            _entries.Add(entry);
        }
    }

    public string[] Entries
    {
        get
        {
            lock (_entries)
            {
                return [.. _entries];
            }
        }
    }
}

public sealed class InventoryEndpoint(Stock stock, Journal journal) : RpcEndpoint, IInventoryGateway
{
    public Task<int> ReserveAsync(string sku, int count)
    {
        int left = stock.Items.GetValueOrDefault(sku) - count;
        stock.Items[sku] = left;
        return Task.FromResult(left);
    }

    public async Task<int> ReserveSlowlyAsync(string sku, int count, TimeSpan timeout)
    {
        stock.SlowCallStarted = true;
        await stock.Gate.Task;
        return await ReserveAsync(sku, count);
    }

    protected override Task OnStartAsync()
    {
        journal.Add($"start {Name}");
        return Task.CompletedTask;
    }

    protected override Task OnStopAsync()
    {
        journal.Add($"stop {Name}");
        return Task.CompletedTask;
    }
}

/// <summary>A dependency nobody registers.</summary>
public sealed class Unregistered;

public sealed class NeedyEndpoint(Unregistered unregistered) : RpcEndpoint, IInventoryGateway
{
    public Unregistered Dependency { get; } = unregistered;

    public Task<int> ReserveAsync(string sku, int count) => Task.FromResult(0);

    public Task<int> ReserveSlowlyAsync(string sku, int count, TimeSpan timeout) => Task.FromResult(0);
}

/// <summary>A class that gets a gateway client injected, as application code does.</summary>
public sealed class OrderDesk(IInventoryGateway inventory)
{
    public Task<int> OrderAsync(string sku, int count) => inventory.ReserveAsync(sku, count);
}
