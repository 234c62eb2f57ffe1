namespace Toolkit.Rpc.Tests.Processes;

/// <summary>
/// The server's version of a gateway the tests declare too, under the same name: here <see cref="Quote.Price"/> is a
/// <c>long</c> and <see cref="QuoteAsync"/> takes a currency, so the handshake must refuse the connection.
/// </summary>
[RpcGateway]
public interface IVersionedGateway
{
    Task<Quote> QuoteAsync(string symbol, string currency);
}

public sealed record Quote(string Symbol, long Price);

public sealed class VersionedEndpoint : RpcEndpoint, IVersionedGateway
{
    public Task<Quote> QuoteAsync(string symbol, string currency) => Task.FromResult(new Quote(symbol, 42));
}
