namespace Toolkit.Rpc.Tests.Processes;

/// <summary>
/// The tests' version of a gateway that Toolkit.Rpc.TestServer declares differently under the same name (there,
/// <c>Quote.Price</c> is a <c>long</c> and <c>QuoteAsync</c> takes a currency too).
/// </summary>
[RpcGateway]
public interface IVersionedGateway
{
    Task<Quote> QuoteAsync(string symbol);
}

public sealed record Quote(string Symbol, decimal Price);
