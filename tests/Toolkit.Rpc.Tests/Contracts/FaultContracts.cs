namespace Toolkit.Rpc.Tests.Contracts;

/// <summary>A gateway that declares faults, on a method and on the whole gateway.</summary>
[RpcGateway]
[RpcFault(typeof(RejectedException))]
public interface IStockGateway
{
    [RpcFault(typeof(OutOfStockException))]
    Task<int> OrderAsync(string sku, int count);

    /// <summary>Throws <see cref="RejectedException"/> (declared on the gateway) with <paramref name="reason"/>.</summary>
    Task RejectAsync(string reason);

    /// <summary>Throws an exception no contract declares.</summary>
    Task FailAsync(string message);

    /// <summary>Takes bytes of any size, for the frame limit.</summary>
    Task<int> StoreAsync(byte[] data);

    /// <summary>Takes many small strings, for the frame limit.</summary>
    Task<int> StoreLinesAsync(List<string> lines);

    /// <summary>Returns <paramref name="size"/> bytes, for the frame limit on replies.</summary>
    Task<byte[]> LoadAsync(int size);
}

/// <summary>A domain error with members of its own; its message is made from them.</summary>
public sealed class OutOfStockException(string sku, int available) : Exception($"{sku}: only {available} left")
{
    public string Sku { get; } = sku;

    public int Available { get; } = available;
}

/// <summary>A domain error that carries only its message.</summary>
public sealed class RejectedException(string message) : Exception(message);

public sealed class StockEndpoint : RpcEndpoint, IStockGateway
{
    private readonly Dictionary<string, int> _stock = new(StringComparer.Ordinal) { ["pen"] = 3 };

    public Task<int> OrderAsync(string sku, int count)
    {
        int available = _stock.GetValueOrDefault(sku);
        if (available < count)
        {
            throw new OutOfStockException(sku, available);
        }

        _stock[sku] = available - count;
        return Task.FromResult(available - count);
    }

    public Task RejectAsync(string reason) => throw new RejectedException(reason);

    public Task FailAsync(string message) => throw new InvalidOperationException(message);

    public Task<int> StoreAsync(byte[] data) => Task.FromResult(data.Length);

    public Task<int> StoreLinesAsync(List<string> lines) => Task.FromResult(lines.Count);

    public Task<byte[]> LoadAsync(int size) => Task.FromResult(new byte[size]);
}
