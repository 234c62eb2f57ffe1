using System.ComponentModel;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace Toolkit.Rpc.Infrastructure;

/// <summary>Throws for the serializers, out of line so that the hot paths stay small enough to inline.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class ThrowHelper
{
    /// <summary>The data ended before a value of <paramref name="needed"/> bytes.</summary>
    [DoesNotReturn]
    public static void ThrowEndOfData(int needed, int remaining) =>
        throw new RpcSerializationException($"Malformed data: a value needs {needed} bytes but only {remaining} remain (truncated frame?).");

    /// <summary>A length prefix is negative or larger than the data could hold.</summary>
    [DoesNotReturn]
    public static void ThrowBadLength(int length, int minimumElementSize, int remaining) =>
        throw new RpcSerializationException(
            $"Malformed data: a length of {length} (at least {minimumElementSize} bytes each) does not fit the {remaining} bytes that remain.");

    /// <summary>The data does not follow the layout.</summary>
    [DoesNotReturn]
    public static void ThrowMalformed(string what) => throw new RpcSerializationException($"Malformed data: {what}.");

    /// <summary>Objects nest deeper than the limit.</summary>
    [DoesNotReturn]
    public static void ThrowTooDeep(int limit, bool writing) => throw new RpcSerializationException(writing
        ? $"Cannot write the value: objects nest deeper than {limit} levels (is there a cycle in the object graph?)."
        : $"Malformed data: objects nest deeper than {limit} levels.");

    /// <summary>
    /// Checks a nesting level beyond the default depth: throws when it is beyond <paramref name="limit"/>, or when the
    /// thread's stack could not take many more levels (a limit set high must not let data overflow the stack).
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void CheckDeepLevel(int depth, int limit, bool writing)
    {
        if (depth > limit)
        {
            ThrowTooDeep(limit, writing);
        }

        if (!RuntimeHelpers.TryEnsureSufficientExecutionStack())
        {
            throw new RpcSerializationException(writing
                ? $"Cannot write the value: objects nest {depth} levels deep, more than this thread's stack can hold."
                : $"Malformed data: objects nest {depth} levels deep, more than this thread's stack can hold.");
        }
    }

    /// <summary>The output returned a smaller buffer than asked for.</summary>
    [DoesNotReturn]
    public static void ThrowBufferTooSmall(int needed, int got) =>
        throw new InvalidOperationException($"The IBufferWriter returned {got} bytes when asked for at least {needed}.");

    /// <summary>An object was written with more members than the reading type knows.</summary>
    [DoesNotReturn]
    public static void ThrowTooManyMembers(string type, int count, int known) =>
        throw new RpcSerializationException(
            $"Cannot read {type}: the data has {count} members but this version of the type has {known} (was it written by a newer version?).");

    /// <summary>A union tag that the reading type does not define.</summary>
    [DoesNotReturn]
    public static void ThrowUnknownUnionTag(string type, ushort tag) =>
        throw new RpcSerializationException($"Cannot read {type}: the union tag {tag} is not one of its [RpcUnion] cases.");

    /// <summary>A value of a subtype that the union does not list.</summary>
    [DoesNotReturn]
    public static void ThrowUnknownUnionCase(string type, Type actual) =>
        throw new RpcSerializationException(
            $"Cannot write {type}: {actual.FullName} is not one of its [RpcUnion] cases; add [RpcUnion(tag, typeof({actual.Name}))] to {type}.");

    /// <summary>A value of a union's abstract base is null where it may not be (a struct member, for instance).</summary>
    [DoesNotReturn]
    public static void ThrowNullNotAllowed(string type) =>
        throw new RpcSerializationException($"Malformed data: {type} is a value type and cannot be null.");

    /// <summary>A nullable value's has-value byte is neither 0 nor 1.</summary>
    [DoesNotReturn]
    public static DateTimeOffset? ThrowBadHasValue(byte hasValue) =>
        throw new RpcSerializationException($"Malformed data: a nullable value has the has-value byte {hasValue}; only 0 and 1 are valid.");
}
