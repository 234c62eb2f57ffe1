using Toolkit.Rpc.Transport;

namespace Toolkit.Rpc.Tests.Transport;

/// <summary>The table a connection finds its pending calls in when their replies, timeouts or its close come.</summary>
public sealed class PendingCallTableTests
{
    [Fact]
    public void A_call_is_found_by_its_id_once()
    {
        PendingCallTable table = new();
        LookupCall call = NewCall(7);
        table.Add(call);

        Assert.True(table.TryRemove(7, out RemoteCall? found));
        Assert.Same(call, found);
        Assert.False(table.TryRemove(7, out _));
        Assert.False(table.TryRemove(call));
    }

    [Fact]
    public void Removing_a_call_itself_leaves_another_call_under_the_same_id_alone()
    {
        PendingCallTable table = new();
        LookupCall current = NewCall(7);
        table.Add(current);

        Assert.False(table.TryRemove(NewCall(7)));
        Assert.True(table.TryRemove(current));
    }

    [Fact]
    public void Taking_all_returns_each_call_with_its_id_and_empties_the_table()
    {
        PendingCallTable table = new();
        LookupCall first = NewCall(1);
        LookupCall second = NewCall(2);
        table.Add(first);
        table.Add(second);

        Assert.Equal([new(1, first), new(2, second)], table.TakeAll().OrderBy(static entry => entry.Key));
        Assert.Empty(table.TakeAll());
        Assert.False(table.TryRemove(1, out _));
    }

    // The table only reads the call's id; no connection is needed.
    private static LookupCall NewCall(long callId) => new(null!, callId, default);
}
