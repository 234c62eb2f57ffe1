namespace Toolkit.Rpc.Tests.Processes.Upgrades;

// The tests' side of a rolling upgrade. Toolkit.Rpc.TestServer declares the same names in another version
// (ServerUpgradeContracts.cs there): some messages are newer on the server, some newer here, one is incompatible.

/// <summary>Orders: the server's version has a method more, and newer <see cref="Order"/> and <see cref="Receipt"/>.</summary>
[RpcGateway]
public interface IOrderGateway
{
    /// <summary>Places an order; the server answers with a receipt.</summary>
    Task<Receipt> PlaceAsync(Order order);

    /// <summary>The server calls <paramref name="audit"/> back with an entry and says how that went.</summary>
    Task<string> AuditBackAsync(IAuditGateway audit, long id);

    /// <summary>The server calls <paramref name="inbox"/> back with a notification and says how that went.</summary>
    Task<string> NotifyBackAsync(INotificationGateway inbox);
}

/// <summary>Served by the tests' side, called back by the server; this side's <see cref="Entry"/> is the newer one.</summary>
[RpcGateway]
public interface IAuditGateway
{
    Task<Entry> RecordAsync(Entry entry);
}

/// <summary>Served by the tests' side; <see cref="Notification.Sequence"/> is a double here and a long on the server.</summary>
[RpcGateway]
public interface INotificationGateway
{
    Task<string> NotifyAsync(Notification notification);
}

/// <summary>Older than the server's, which appends <c>int Quantity</c>.</summary>
public sealed record Order(long Id, string Item);

/// <summary>Older than the server's, which appends <c>string? Note</c> and <c>List&lt;string&gt;? Tags</c>.</summary>
public sealed record Receipt(long OrderId, string Status);

/// <summary>Newer than the server's: <see cref="Note"/> and <see cref="Stamp"/> are appended here.</summary>
public sealed record Entry(long Id, string What, string? Note, Stamp? Stamp);

public sealed record Stamp(DateTimeOffset At, Guid By);

/// <summary>Incompatible with the server's: there, <see cref="Sequence"/> is a long.</summary>
public sealed record Notification(double Sequence, string Text);

/// <summary>The tests' audit endpoint: answers with the entry and a note the server's version does not know.</summary>
public sealed class AuditEndpoint : RpcEndpoint, IAuditGateway
{
    public List<Entry> Received { get; } = [];

    public Task<Entry> RecordAsync(Entry entry)
    {
        Received.Add(entry);
        return Task.FromResult(entry with { Note = "seen by the newer side", Stamp = new Stamp(DateTimeOffset.UnixEpoch, Guid.NewGuid()) });
    }
}

/// <summary>The tests' inbox: what it is called with (a misread would show here).</summary>
public sealed class InboxEndpoint : RpcEndpoint, INotificationGateway
{
    public List<Notification> Received { get; } = [];

    public Task<string> NotifyAsync(Notification notification)
    {
        Received.Add(notification);
        return Task.FromResult($"got {notification.Sequence}");
    }
}
