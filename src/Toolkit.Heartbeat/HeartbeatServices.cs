using Toolkit.Rpc;

namespace Toolkit.Heartbeat;

/// <summary>
/// Makes heartbeat managers with one set of options and metrics (Flink's <c>HeartbeatServices</c>); registered by
/// <c>AddHeartbeats</c>, and injected into endpoints.
/// </summary>
public sealed class HeartbeatServices
{
    /// <summary>Creates the services with <paramref name="options"/> (Flink's defaults when null).</summary>
    /// <exception cref="ArgumentException">An option cannot work; the message names it.</exception>
    public HeartbeatServices(HeartbeatOptions? options = null, HeartbeatMetrics? metrics = null)
    {
        Options = (options ?? new HeartbeatOptions()).Clone();
        Options.Validate();
        Metrics = metrics ?? new HeartbeatMetrics();
    }

    /// <summary>The options managers are made with unless one is given its own.</summary>
    public HeartbeatOptions Options { get; }

    /// <summary>Where the managers record their measurements.</summary>
    public HeartbeatMetrics Metrics { get; }

    /// <summary>
    /// Makes a sender owned by <paramref name="owner"/>; call on its main thread (in <c>OnStartAsync</c>).
    /// </summary>
    /// <param name="owner">The endpoint whose main thread runs the manager.</param>
    /// <param name="ownId">This side's resource id, sent with each request.</param>
    /// <param name="listener">Hears timeouts, unreachable targets and payloads, and gives the payload to send.</param>
    /// <param name="name">The manager's name in logs and metrics; the owner's name by default.</param>
    /// <param name="options">Options for this manager only; the services' options by default.</param>
    /// <param name="random">The source of the jitter; tests pass a seeded one.</param>
    public HeartbeatSender<TIn, TOut> CreateSender<TIn, TOut>(
        RpcEndpoint owner, string ownId, IHeartbeatListener<TIn, TOut> listener, string? name = null, HeartbeatOptions? options = null, Random? random = null)
    {
        ArgumentNullException.ThrowIfNull(owner);
        return new HeartbeatSender<TIn, TOut>(owner, ownId, listener, options ?? Options, Metrics, name ?? owner.Name, random);
    }

    /// <summary>Makes a receiver owned by <paramref name="owner"/>; call on its main thread (in <c>OnStartAsync</c>).</summary>
    /// <param name="owner">The endpoint whose main thread runs the manager.</param>
    /// <param name="ownId">This side's resource id.</param>
    /// <param name="listener">Hears timeouts, unreachable requesters and payloads, and gives the payload to reply with.</param>
    /// <param name="name">The manager's name in logs and metrics; the owner's name by default.</param>
    /// <param name="options">Options for this manager only; the services' options by default.</param>
    public HeartbeatReceiver<TIn, TOut> CreateReceiver<TIn, TOut>(
        RpcEndpoint owner, string ownId, IHeartbeatListener<TIn, TOut> listener, string? name = null, HeartbeatOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(owner);
        return new HeartbeatReceiver<TIn, TOut>(owner, ownId, listener, options ?? Options, Metrics, name ?? owner.Name);
    }
}
