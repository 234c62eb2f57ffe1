using System.ComponentModel;

namespace Toolkit.Rpc.Infrastructure;

/// <summary>What a call carries besides its arguments: its timeout and its cancellation.</summary>
/// <param name="Timeout">The caller's timeout; handed to a <c>[RpcTimeout]</c> parameter.</param>
/// <param name="CancellationToken">Fires when the caller cancels or times out; handed to a <see cref="CancellationToken"/> parameter.</param>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly record struct RpcCallContext(TimeSpan Timeout, CancellationToken CancellationToken);
