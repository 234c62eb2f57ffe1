using System.ComponentModel;

namespace Toolkit.Rpc.Infrastructure;

/// <summary>The result type of methods that return <c>Task</c>, <c>ValueTask</c> or <c>void</c>; it has no bytes on the wire.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly struct RpcVoid;
