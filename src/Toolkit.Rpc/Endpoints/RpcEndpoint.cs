using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Toolkit.Rpc.Calls;

namespace Toolkit.Rpc;

/// <summary>
/// The base of every endpoint. Subclasses implement one or more <see cref="RpcGatewayAttribute"/> interfaces;
/// every gateway call, <see cref="RunAsync(Action)"/>/<see cref="CallAsync{T}(Func{T}, TimeSpan)"/>/
/// <see cref="ScheduleRunAsync(Action, TimeSpan, CancellationToken)"/> callback and <c>await</c> continuation
/// runs on the endpoint's main thread: one at a time, never concurrently, so endpoint state needs no locks.
/// While a method awaits, other calls may run (state can change across an <c>await</c>).
/// </summary>
/// <remarks>
/// The main thread is a logical thread: the endpoint's mailbox is drained by one thread-pool work item at a
/// time, with the endpoint's <see cref="SynchronizationContext"/> installed so that awaits come back to it.
/// Blocking it (<c>.Result</c>, <c>Wait()</c>, <c>Thread.Sleep</c>) stalls the endpoint and wastes a pool thread.
/// </remarks>
[DebuggerDisplay("{DisplayName,nq} ({State})")]
public abstract partial class RpcEndpoint
{
    private EndpointRuntime? _runtime;
    private string? _name;
    private RpcEndpointReference? _reference;
    private ILogger? _logger;
    private Dictionary<int, RpcGatewayDescriptor>? _gateways;

    /// <summary>Creates the endpoint; it takes calls once <see cref="RpcService.StartEndpointAsync{TEndpoint}"/> has started it.</summary>
    protected RpcEndpoint()
    {
        _mailbox = new Mailbox(this);
        MainThreadScheduler = new EndpointTaskScheduler(this);
    }

    /// <summary>The endpoint's name in its service.</summary>
    public string Name => _name ?? throw NotStarted();

    /// <summary>The endpoint's reference, as gateways to it travel inside messages.</summary>
    public RpcEndpointReference Reference => _reference ?? throw NotStarted();

    /// <summary>Where the endpoint is in its life.</summary>
    public RpcEndpointState State => (RpcEndpointState)Volatile.Read(ref _state);

    /// <summary>Whether the calling code runs on this endpoint's main thread.</summary>
    public bool IsInMainThread => t_current == this;

    /// <summary>
    /// Runs tasks on the main thread: pass it to <see cref="Task.ContinueWith(Action{Task}, TaskScheduler)"/> or
    /// <see cref="TaskFactory"/> so that the work touches endpoint state safely.
    /// </summary>
    public TaskScheduler MainThreadScheduler { get; }

    /// <summary>The service's clock; tests replace it through <see cref="RpcServiceOptions.TimeProvider"/>.</summary>
    protected TimeProvider TimeProvider => (RuntimeOrNull ?? throw NotStarted()).TimeProvider;

    /// <summary>The logger for this endpoint's class.</summary>
    protected ILogger Logger => _logger ?? throw NotStarted();

    internal string DisplayName => _name ?? $"(unstarted {GetType().Name})";

    /// <summary>How errors name this endpoint: <c>endpoint 'name' (its type)</c>.</summary>
    internal string Description => $"endpoint '{DisplayName}' ({GetType().FullName})";

    /// <summary>The error text for a gateway this endpoint does not implement.</summary>
    internal string DoesNotImplement(string gateway) => $"{Description} does not implement {gateway}";

    /// <summary>Throws unless the caller runs on this endpoint's main thread.</summary>
    /// <exception cref="InvalidOperationException">The caller runs elsewhere.</exception>
    public void ValidateRunsInMainThread()
    {
        if (t_current != this)
        {
            throw new InvalidOperationException(
                $"This code must run on the main thread of endpoint '{DisplayName}', but runs on thread {Environment.CurrentManagedThreadId}" +
                (t_current is null ? " outside any endpoint." : $", the main thread of endpoint '{t_current.DisplayName}'.") +
                " Use RunAsync, CallAsync or a gateway call to get onto it.");
        }
    }

    /// <summary>
    /// Refuses a call of a fenced method (<see cref="RpcMethodDescriptor.IsFenced"/>) that carries
    /// <paramref name="callEpoch"/>, or returns null to run it; on the main thread, when the call's turn comes. Only a
    /// <see cref="FencedRpcEndpoint"/> fences: the generator refuses a fenced gateway on any other endpoint.
    /// </summary>
    internal virtual RpcFencingException? Fence(RpcMethodDescriptor method, long callEpoch) => null;

    /// <summary>Returns a gateway to this endpoint itself, for handing to others inside messages.</summary>
    public TGateway GetSelfGateway<TGateway>()
        where TGateway : class
    {
        RpcGatewayDescriptor descriptor = RpcGatewayRegistry.Get<TGateway>();
        if (!descriptor.IsImplementedBy(this))
        {
            throw new RpcEndpointNotFoundException($"Endpoint '{DisplayName}' ({GetType().FullName}) does not implement gateway {descriptor.Name}.");
        }

        return (TGateway)descriptor.CreateProxy(LocalTarget);
    }

    /// <summary>Stops the endpoint: the current turn finishes, queued calls fail, then <see cref="OnStopAsync"/> runs.</summary>
    public Task StopAsync() => _runtime is { } runtime ? runtime.StopEndpointAsync(this) : Task.CompletedTask;

    /// <summary>Runs on the main thread before any call is taken. A failure fails the start.</summary>
    protected virtual Task OnStartAsync() => Task.CompletedTask;

    /// <summary>Runs on the main thread after the endpoint stopped taking calls.</summary>
    protected virtual Task OnStopAsync() => Task.CompletedTask;

    /// <summary>
    /// Called on the main thread when this endpoint's service finished a handshake with another service, in either
    /// direction. Does nothing by default.
    /// </summary>
    protected virtual void OnRemoteConnected(RpcPeer peer)
    {
    }

    /// <summary>
    /// Called on the main thread when a connection of this endpoint's service to another service closed; calls
    /// pending on it have already failed. Does nothing by default.
    /// </summary>
    protected virtual void OnRemoteDisconnected(RpcPeer peer)
    {
    }

    /// <summary>Called on the main thread when a continuation or callback posted to the endpoint throws; logs by default.</summary>
    protected virtual void OnUnhandledException(Exception exception) =>
        EndpointLog.UnhandledException(_logger ?? Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance, exception, DisplayName);

    internal LocalRpcTarget LocalTarget => _localTarget ??= new LocalRpcTarget(this);

    internal EndpointRuntime? RuntimeOrNull => Volatile.Read(ref _runtime);

    internal RpcCallSite CallSite(RpcMethodDescriptor method) =>
        new(method.Gateway.ShortName, method.Name, DisplayName, _runtime?.DisplayAddress ?? "an unstarted endpoint");

    internal RpcMethodHandler? FindHandler(RpcMethodDescriptor method) => FindHandler(method.Gateway.Id, method.Id);

    internal RpcMethodHandler? FindHandler(int gatewayId, int methodId) =>
        _gateways is { } gateways && gateways.TryGetValue(gatewayId, out RpcGatewayDescriptor? gateway) ? gateway.FindHandler(methodId) : null;

    internal IEnumerable<RpcGatewayDescriptor> Gateways => _gateways?.Values ?? Enumerable.Empty<RpcGatewayDescriptor>();

    internal bool ImplementsGateway(int gatewayId) => _gateways?.ContainsKey(gatewayId) == true;

    internal RpcGatewayDescriptor? FindGateway(string name) => _gateways?.Values.FirstOrDefault(gateway => gateway.Name == name);

    /// <summary>Tells a started endpoint, on its main thread, that a connection to <paramref name="peer"/> opened or closed.</summary>
    internal void NotifyRemote(RpcPeer peer, bool connected)
    {
        if (State is RpcEndpointState.Starting or RpcEndpointState.Running)
        {
            Enqueue(new PostedCallback(
                static state =>
                {
                    (RpcEndpoint endpoint, RpcPeer peer, bool connected) = ((RpcEndpoint, RpcPeer, bool))state!;
                    try
                    {
                        if (connected)
                        {
                            endpoint.OnRemoteConnected(peer);
                        }
                        else
                        {
                            endpoint.OnRemoteDisconnected(peer);
                        }
                    }
                    catch (Exception exception)
                    {
                        endpoint.ReportUnhandled(exception);
                    }
                },
                (this, peer, connected)));
        }
    }

    internal void ReportUnhandled(Exception exception)
    {
        try
        {
            OnUnhandledException(exception);
        }
        catch (Exception secondary)
        {
            EndpointLog.UnhandledException(_logger ?? Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance, secondary, DisplayName);
        }
    }

    internal void ReportScheduledRunFailure(Exception exception) =>
        EndpointLog.ScheduledRunFailed(_logger ?? Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance, exception, DisplayName);

    internal void ReportOneWayFailure(RpcMethodDescriptor method, Exception exception) =>
        EndpointLog.OneWayFailed(_logger ?? Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance, exception, method.Gateway.ShortName, method.Name, DisplayName);

    internal void ReportDroppedOneWay(RpcMethodDescriptor method, RpcEndpointState state, int count) =>
        EndpointLog.OneWayDropped(_logger ?? Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance, count, method.Gateway.ShortName, method.Name, DisplayName, state);

    internal InvalidOperationException NotStarted() =>
        new($"Endpoint {GetType().Name} has not been started: start it with RpcService.StartEndpointAsync first.");

    private LocalRpcTarget? _localTarget;
}
