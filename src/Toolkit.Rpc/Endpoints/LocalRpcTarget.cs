using System.Diagnostics.CodeAnalysis;
using Toolkit.Rpc.Calls;
using Toolkit.Rpc.Observability;

namespace Toolkit.Rpc;

/// <summary>
/// An endpoint of this process: calls go straight into its mailbox, serialized only when the service forces it. Calls
/// carry <paramref name="epoch"/>, the caller's view of a fenced endpoint's epoch (<see cref="FencingToken.None"/> if none).
/// </summary>
internal sealed class LocalRpcTarget(RpcEndpoint endpoint, long epoch = FencingToken.None) : RpcTarget
{
    internal override long Epoch => epoch;

    internal override RpcTarget WithEpoch(long newEpoch) => new LocalRpcTarget(endpoint, newEpoch);

    public override RpcEndpointReference Reference => endpoint.State == RpcEndpointState.Created
        ? new RpcEndpointReference("unstarted", null, endpoint.DisplayName)
        : endpoint.Reference;

    public override ValueTask<TResult> AskAsync<TInvocation, TResult>(in TInvocation invocation, TimeSpan? timeout, CancellationToken cancellation) =>
        AskLocal<TInvocation, TResult>(invocation, timeout, cancellation);

    public override ValueTask AskVoidAsync<TInvocation>(in TInvocation invocation, TimeSpan? timeout, CancellationToken cancellation) =>
        AskVoidLocal(invocation, timeout, cancellation);

    public override void Tell<TInvocation>(in TInvocation invocation) => TellLocal(invocation);

    public override IAsyncEnumerable<TItem> Stream<TInvocation, TItem>(in TInvocation invocation, CancellationToken cancellation) =>
        new Streams.LocalItemStream<TInvocation, TItem>(endpoint, invocation, epoch, cancellation);

    // The *Local methods are the non-virtual entry points that proxies call: the overrides above are generic
    // virtual methods, which the JIT does not devirtualize and dispatches through a runtime lookup on every call.
    internal ValueTask<TResult> AskLocal<TInvocation, TResult>(in TInvocation invocation, TimeSpan? timeout, CancellationToken cancellation)
        where TInvocation : struct, IRpcInvocation<TInvocation, TResult>
    {
        if (!TryAccept(TInvocation.Method, cancellation, out EndpointRuntime? service, out Exception? refusal))
        {
            return ValueTask.FromException<TResult>(refusal);
        }

        TimeSpan effectiveTimeout = timeout ?? TInvocation.Method.Timeout ?? service.Options.DefaultTimeout;
        return service.Options.SerializeLocalCalls
            ? SerializedCall<TInvocation, TResult>.Ask(service, endpoint, invocation, effectiveTimeout, cancellation, epoch)
            : new ValueTask<TResult>(AskCall<TInvocation, TResult>.Start(
                service, endpoint, invocation, effectiveTimeout, cancellation, epoch, out short version, Observe(service, TInvocation.Method)), version);
    }

    internal ValueTask AskVoidLocal<TInvocation>(in TInvocation invocation, TimeSpan? timeout, CancellationToken cancellation)
        where TInvocation : struct, IRpcInvocation<TInvocation, RpcVoid>
    {
        if (!TryAccept(TInvocation.Method, cancellation, out EndpointRuntime? service, out Exception? refusal))
        {
            return ValueTask.FromException(refusal);
        }

        TimeSpan effectiveTimeout = timeout ?? TInvocation.Method.Timeout ?? service.Options.DefaultTimeout;
        return service.Options.SerializeLocalCalls
            ? new ValueTask(SerializedCall<TInvocation, RpcVoid>.Ask(service, endpoint, invocation, effectiveTimeout, cancellation, epoch).AsTask())
            : new ValueTask(AskCall<TInvocation, RpcVoid>.Start(
                service, endpoint, invocation, effectiveTimeout, cancellation, epoch, out short version, Observe(service, TInvocation.Method)), version);
    }

    internal void TellLocal<TInvocation>(in TInvocation invocation)
        where TInvocation : struct, IRpcInvocation<TInvocation, RpcVoid>
    {
        if (endpoint.RuntimeOrNull is not { } service || endpoint.State is not (RpcEndpointState.Starting or RpcEndpointState.Running))
        {
            endpoint.ReportDroppedOneWay(TInvocation.Method, endpoint.State, 1);
            return;
        }

        if (service.Options.SerializeLocalCalls)
        {
            SerializedCall<TInvocation, RpcVoid>.Tell(service, endpoint, invocation, epoch);
        }
        else
        {
            endpoint.EnqueueTell(service, invocation, epoch);
        }
    }

    /// <summary>A local ask's telemetry: nothing (default) unless someone listens; the caller and the endpoint share the service's instruments.</summary>
    private CallObservation Observe(EndpointRuntime service, RpcMethodDescriptor method)
    {
        RpcInstruments instruments = service.Instruments;
        return instruments.LocalObserved
            ? CallObservation.StartClient(instruments, method, endpoint.Name, serverAddress: null)
            : default;
    }

    private bool TryAccept(
        RpcMethodDescriptor method,
        CancellationToken cancellation,
        [NotNullWhen(true)] out EndpointRuntime? service,
        [NotNullWhen(false)] out Exception? refusal)
    {
        service = endpoint.RuntimeOrNull;
        RpcEndpointState state = endpoint.State;
        if (service is null || state is not (RpcEndpointState.Starting or RpcEndpointState.Running))
        {
            refusal = new RpcEndpointUnavailableException(endpoint.CallSite(method), state);
            return false;
        }

        if (cancellation.IsCancellationRequested)
        {
            refusal = CallFailures.Cancelled(endpoint.CallSite(method), cancellation);
            return false;
        }

        refusal = null;
        return true;
    }
}
