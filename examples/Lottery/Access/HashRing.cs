using System.Buffers.Binary;
using System.IO.Hashing;
using System.Text;

namespace Lottery.Access;

/// <summary>
/// Consistent hashing with virtual nodes (一致性Hash寻址): each member owns <see cref="VirtualNodes"/> points on a
/// 64-bit ring, a user belongs to the first point at or after its hash. When a member joins or leaves, only the users
/// between its points and their predecessors move, so the other nodes' caches stay warm. Immutable: a membership
/// change builds a new ring.
/// </summary>
public sealed class HashRing
{
    public const int DefaultVirtualNodes = 160;

    private readonly ulong[] _points;
    private readonly int[] _owners;

    private HashRing(string[] members, int virtualNodes, long version)
    {
        Members = members;
        VirtualNodes = virtualNodes;
        Version = version;
        List<(ulong Point, int Owner)> points = new(members.Length * virtualNodes);
        for (int member = 0; member < members.Length; member++)
        {
            for (int replica = 0; replica < virtualNodes; replica++)
            {
                points.Add((HashPoint(members[member], replica), member));
            }
        }

        points.Sort((a, b) => a.Point.CompareTo(b.Point));
        _points = [.. points.Select(point => point.Point)];
        _owners = [.. points.Select(point => point.Owner)];
    }

    public static HashRing Empty { get; } = new([], DefaultVirtualNodes, 0);

    /// <summary>The members, in ordinal order; an owner index refers to this array.</summary>
    public IReadOnlyList<string> Members { get; }

    public int VirtualNodes { get; }

    /// <summary>Grows by one with every membership change.</summary>
    public long Version { get; }

    public bool IsEmpty => Members.Count == 0;

    public static HashRing Create(IEnumerable<string> members, int virtualNodes = DefaultVirtualNodes, long version = 1) =>
        new([.. members.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)], virtualNodes, version);

    public HashRing With(string member) => Members.Contains(member) ? this : Create([.. Members, member], VirtualNodes, Version + 1);

    public HashRing Without(string member) => Members.Contains(member) ? Create(Members.Where(m => m != member), VirtualNodes, Version + 1) : this;

    /// <summary>The index in <see cref="Members"/> of the member that owns <paramref name="user"/>; -1 on an empty ring.</summary>
    public int OwnerOf(long user)
    {
        if (_points.Length == 0)
        {
            return -1;
        }

        int index = Array.BinarySearch(_points, HashUser(user));
        if (index < 0)
        {
            index = ~index;
        }

        return _owners[index == _points.Length ? 0 : index];
    }

    public static ulong HashUser(long user)
    {
        Span<byte> bytes = stackalloc byte[8];
        BinaryPrimitives.WriteInt64LittleEndian(bytes, user);
        return XxHash3.HashToUInt64(bytes);
    }

    private static ulong HashPoint(string member, int replica) => XxHash3.HashToUInt64(Encoding.UTF8.GetBytes($"{member}#{replica}"));
}
