using Lottery.Access;

namespace Lottery.Tests.Components;

public sealed class HashRingTests
{
    private static readonly long[] Users = [.. Enumerable.Range(0, 100_000).Select(i => 10_000_000L + i)];

    [Fact]
    public void Virtual_nodes_spread_users_evenly()
    {
        HashRing ring = HashRing.Create(["node-1", "node-2", "node-3", "node-4"]);
        int[] counts = new int[4];
        foreach (long user in Users)
        {
            counts[ring.OwnerOf(user)]++;
        }

        // 160 points per node: each holds its quarter within 15%.
        Assert.All(counts, count => Assert.InRange(count, 25_000 * 0.85, 25_000 * 1.15));
    }

    [Fact]
    public void A_node_leaving_moves_only_its_own_users()
    {
        HashRing before = HashRing.Create(["node-1", "node-2", "node-3"]);
        HashRing after = before.Without("node-2");
        Assert.Equal(before.Version + 1, after.Version);
        int moved = 0;
        foreach (long user in Users)
        {
            string was = before.Members[before.OwnerOf(user)];
            string now = after.Members[after.OwnerOf(user)];
            if (was != "node-2")
            {
                Assert.Equal(was, now);
            }
            else
            {
                moved++;
            }
        }

        Assert.InRange(moved, Users.Length / 3 * 0.8, Users.Length / 3 * 1.2);
    }

    [Fact]
    public void A_node_joining_takes_users_only_from_the_others()
    {
        HashRing before = HashRing.Create(["node-1", "node-2", "node-3"]);
        HashRing after = before.With("node-4");
        int moved = 0;
        foreach (long user in Users)
        {
            string now = after.Members[after.OwnerOf(user)];
            if (now != before.Members[before.OwnerOf(user)])
            {
                Assert.Equal("node-4", now);
                moved++;
            }
        }

        Assert.InRange(moved, Users.Length / 4 * 0.8, Users.Length / 4 * 1.2);
    }

    [Fact]
    public void An_empty_ring_has_no_owner() => Assert.Equal(-1, HashRing.Empty.OwnerOf(42));
}
