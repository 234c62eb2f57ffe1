namespace Toolkit.Rpc.Tests.Processes.Upgrades;

// The server's side of a rolling upgrade; the tests declare the same names in another version
// (Toolkit.Rpc.Tests/Processes/Upgrades/UpgradeContracts.cs).

[RpcGateway]
public interface IOrderGateway
{
    Task<Receipt> PlaceAsync(Order order);

    Task<string> AuditBackAsync(IAuditGateway audit, long id);

    Task<string> NotifyBackAsync(INotificationGateway inbox);

    /// <summary>A method only this version has.</summary>
    Task<int> CountAsync();
}

[RpcGateway]
public interface IAuditGateway
{
    Task<Entry> RecordAsync(Entry entry);
}

[RpcGateway]
public interface INotificationGateway
{
    Task<string> NotifyAsync(Notification notification);
}

public sealed record Order(long Id, string Item, int Quantity);

public sealed record Receipt(long OrderId, string Status, string? Note, List<string>? Tags);

public sealed record Entry(long Id, string What);

public sealed record Notification(long Sequence, string Text);

/// <summary>The server's order desk: answers with its newer receipt, and calls back whatever gateway it is handed.</summary>
public sealed class OrderEndpoint : RpcEndpoint, IOrderGateway
{
    private int _count;

    public Task<Receipt> PlaceAsync(Order order)
    {
        _count++;
        return Task.FromResult(new Receipt(order.Id, $"placed {order.Item} x{order.Quantity}", "a note the older side skips", ["rush", "gift"]));
    }

    public Task<string> AuditBackAsync(IAuditGateway audit, long id) =>
        Outcome(async () =>
        {
            Entry answer = await audit.RecordAsync(new Entry(id, "audited"));
            return $"{answer.Id}:{answer.What}";
        });

    public Task<string> NotifyBackAsync(INotificationGateway inbox) => Outcome(() => inbox.NotifyAsync(new Notification(5, "placed")));

    public Task<int> CountAsync() => Task.FromResult(_count);

    private static async Task<string> Outcome(Func<Task<string>> call)
    {
        try
        {
            return "ok:" + await call();
        }
        catch (Exception exception)
        {
            return $"failed:{exception.GetType().Name}:{exception.Message}";
        }
    }
}
