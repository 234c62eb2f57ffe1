namespace Toolkit.Rpc.Generators.Model;

/// <summary>How a type is laid out on the wire.</summary>
internal enum TypeShape
{
    /// <summary>Raw little-endian bytes (numbers, bool, char, enums, Guid, DateTime, TimeSpan, decimal …).</summary>
    Unmanaged,
    DateTimeOffset,
    String,
    /// <summary><c>T?</c> of a raw type: <see cref="System.Nullable{T}"/>'s layout.</summary>
    NullableUnmanaged,
    NullableDateTimeOffset,
    /// <summary><c>T?</c> of a struct with members: 255 for null, else the object.</summary>
    NullableObject,
    /// <summary>A record, class or struct with members: a member-count byte, then the members.</summary>
    Object,
    /// <summary>An abstract base or interface with <c>[RpcUnion]</c> cases: a tag, then the case as an object.</summary>
    Union,
    /// <summary>An array of raw values that have no invalid bit patterns: a length and one block copy.</summary>
    UnmanagedArray,
    /// <summary>Arrays, lists and sets: a length, then the elements.</summary>
    Collection,
    /// <summary>Dictionaries: a length, then key and value per entry.</summary>
    Dictionary,
    /// <summary><c>ReadOnlyMemory&lt;byte&gt;</c> or <c>Memory&lt;byte&gt;</c>: a length and the bytes.</summary>
    Bytes,
    /// <summary>A gateway passed inside a message: an endpoint reference.</summary>
    Gateway,
    /// <summary>A <c>Stream</c> argument or result: a token naming the channel its bytes travel on out of band.</summary>
    ByteStream,
    /// <summary>A <c>PipeReader</c> argument or result: a token, as <see cref="ByteStream"/>.</summary>
    PipeReader,
}
