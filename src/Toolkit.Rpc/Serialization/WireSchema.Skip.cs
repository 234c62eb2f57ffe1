namespace Toolkit.Rpc.Serialization;

/// <summary>Skipping a newer peer's values by its contract: each shape as the reader reads it.</summary>
internal sealed partial class WireSchema
{
    /// <summary>Skips the members <paramref name="known"/>..<paramref name="count"/> of <paramref name="typeName"/>'s data.</summary>
    public void SkipMembers(ref RpcReader reader, string typeName, int known, int count)
    {
        if (Find(typeName) is not { Kind: WireKind.Object or WireKind.Struct, Members: { } members })
        {
            throw new RpcSerializationException(
                $"Cannot read {typeName}: the data has {count} members but this version of the type has {known}, and the peer's contract does not describe {typeName} as an object.");
        }

        if (count > members.Length)
        {
            throw new RpcSerializationException(
                $"Cannot read {typeName}: the data has {count} members, more than the {members.Length} of the peer's own contract.");
        }

        for (int i = known; i < count; i++)
        {
            Skip(ref reader, members[i].Type);
        }
    }

    /// <summary>Moves <paramref name="reader"/> past one value of <paramref name="typeName"/> as the peer writes it.</summary>
    private void Skip(ref RpcReader reader, string typeName)
    {
        WireType type = Find(typeName) ?? throw new RpcSerializationException(
            $"Cannot skip a value of {typeName}: the peer's contract does not describe the type.");
        switch (type.Kind)
        {
            case WireKind.Raw or WireKind.Enum:
                reader.Skip(type.Size);
                break;
            case WireKind.DateTimeOffset:
                reader.ReadDateTimeOffset();
                break;
            case WireKind.String:
                reader.ReadString();
                break;
            case WireKind.Bytes:
                if (reader.TryReadCollectionHeader(out int byteCount))
                {
                    reader.Skip(byteCount);
                }

                break;
            case WireKind.Gateway:
                if (reader.TryReadObjectHeader(out byte referenceMembers))
                {
                    RpcEndpointReference.Read(ref reader, referenceMembers);
                }

                break;
            case WireKind.Nullable:
                SkipNullable(ref reader, type);
                break;
            case WireKind.Object or WireKind.Struct:
                if (reader.TryReadObjectHeader(out byte memberCount))
                {
                    reader.EnterObject();
                    SkipMembers(ref reader, type.Name, 0, memberCount);
                    reader.ExitObject();
                }

                break;
            case WireKind.Union:
                if (reader.TryReadUnionHeader(out ushort tag))
                {
                    string caseType = Array.Find(type.Cases!, c => c.Tag == tag).Type
                        ?? throw new RpcSerializationException($"Cannot skip a value of {typeName}: the peer's contract has no union case {tag}.");
                    Skip(ref reader, caseType);
                }

                break;
            case WireKind.BlockArray:
                int elementSize = Find(type.Element!)?.Size is > 0 and int size ? size
                    : throw new RpcSerializationException($"Cannot skip a value of {typeName}: its element type is not raw in the peer's contract.");
                if (reader.TryReadCollectionHeader(out int blockLength, elementSize))
                {
                    reader.Skip(blockLength * elementSize);
                }

                break;
            case WireKind.Dictionary when RawPairSize(type) is int pairSize:
                if (reader.TryReadCollectionHeader(out int pairs, pairSize))
                {
                    reader.Skip(pairs * pairSize);
                }

                break;
            case WireKind.Collection or WireKind.Dictionary:
                if (reader.TryReadCollectionHeader(out int length))
                {
                    reader.EnterObject();
                    for (int i = 0; i < length; i++)
                    {
                        if (type.Key is { } key)
                        {
                            Skip(ref reader, key);
                        }

                        Skip(ref reader, type.Element!);
                    }

                    reader.ExitObject();
                }

                break;
            default:
                throw new RpcSerializationException($"Cannot skip a value of {typeName}: the peer's contract describes it as '{type.Line}', a shape this version does not know.");
        }
    }

    private void SkipNullable(ref RpcReader reader, WireType nullable)
    {
        if (RawSize(nullable) is int size)
        {
            reader.Skip(size);
            return;
        }

        // A struct with members: 255 for null, else an object of one member, the struct.
        if (reader.TryReadObjectHeader(out _))
        {
            Skip(ref reader, nullable.Element!);
        }
    }

    /// <summary>
    /// The size of a value written as its memory image — a raw value, a <c>DateTimeOffset</c>, or a nullable of either
    /// (<c>Nullable&lt;T&gt;</c>: a has-value byte padded to <c>T</c>'s alignment, then <c>T</c>) — or null for any other.
    /// </summary>
    internal int? RawSize(WireType type) => type.Kind switch
    {
        WireKind.Raw or WireKind.Enum or WireKind.DateTimeOffset => type.Size,
        WireKind.Nullable when Find(type.Element!) is { Kind: WireKind.Raw or WireKind.Enum or WireKind.DateTimeOffset } value => Alignment(value) + value.Size,
        _ => null,
    };

    /// <summary>
    /// The alignment of a value written as its memory image, which places it inside a <c>Nullable&lt;T&gt;</c> or a
    /// dictionary entry: its size up to 8; <c>Guid</c> 4; <c>Int128</c> and <c>UInt128</c> 16; a nullable's is its value's.
    /// </summary>
    internal int Alignment(WireType type) => type.Kind == WireKind.Nullable && Find(type.Element!) is { } value
        ? Alignment(value)
        : type.Name switch
        {
            "System.Guid" => 4,
            "System.Int128" or "System.UInt128" => 16,
            _ => Math.Min(type.Size, 8),
        };

    // A dictionary whose keys and values are both memory images travels as KeyValuePair's memory layout: the key,
    // zeros up to the value's alignment, the value, zeros up to the pair's alignment.
    private int? RawPairSize(WireType dictionary)
    {
        if (Find(dictionary.Key!) is not { } key || Find(dictionary.Element!) is not { } value
            || RawSize(key) is not int keySize || RawSize(value) is not int valueSize)
        {
            return null;
        }

        int valueAlignment = Alignment(value);
        int pairAlignment = Math.Max(Alignment(key), valueAlignment);
        int end = RoundUp(keySize, valueAlignment) + valueSize;
        return RoundUp(end, pairAlignment);
    }

    private static int RoundUp(int offset, int alignment) => (offset + alignment - 1) / alignment * alignment;
}
