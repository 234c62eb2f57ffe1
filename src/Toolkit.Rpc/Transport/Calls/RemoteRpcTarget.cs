using System.Diagnostics;
using System.Text;
using Toolkit.Rpc.Calls;
using Toolkit.Rpc.Observability;
using Toolkit.Rpc.Transport.Protocol;

namespace Toolkit.Rpc.Transport;

/// <summary>
/// An endpoint of another service. Each call is encoded into a request frame and queued on the connection to that
/// service, which is opened on first use and reopened by the next call after it dropped.
/// </summary>
internal sealed class RemoteRpcTarget : RpcTarget
{
    private static readonly TimeSpan RoomPollInterval = TimeSpan.FromMilliseconds(20);

    private readonly TransportHost _service;
    // The peer's node id is not known before a lazily made target first connects (RpcService.GetRemoteGateway): the
    // reference then carries an empty one, and takes the peer's once the handshake has named it.
    private RpcEndpointReference _reference;
    private readonly byte[] _endpointName;
    private readonly string _displayAddress;
    private readonly RequestExtensions _extensions;
    private RpcConnection? _connection;

    // The connection and gateway this target last announced a contract on: a call that finds both the same skips
    // the announcement, so that only a target's first call on a connection pays for it.
    private Announced? _announced;

    public RemoteRpcTarget(TransportHost service, RpcEndpointReference reference, long epoch = FencingToken.None)
    {
        _service = service;
        _extensions = new RequestExtensions { Epoch = epoch };
        _reference = reference;
        _endpointName = Encoding.UTF8.GetBytes(reference.EndpointName);
        if (_endpointName.Length > byte.MaxValue)
        {
            throw new ArgumentException($"Endpoint name '{reference.EndpointName}' is longer than 255 bytes.", nameof(reference));
        }

        _displayAddress = reference.Address is { } address ? RpcAddress.Scheme + address : $"client-mode service {reference.NodeId}";
    }

    public override RpcEndpointReference Reference
    {
        get
        {
            RpcEndpointReference reference = Volatile.Read(ref _reference);
            if (reference.NodeId.Length == 0 && Volatile.Read(ref _connection)?.Peer is { } peer)
            {
                reference = reference with { NodeId = peer.NodeId };
                Volatile.Write(ref _reference, reference);
            }

            return reference;
        }
    }

    internal override long Epoch => _extensions.Epoch;

    internal override RpcTarget WithEpoch(long epoch) => new RemoteRpcTarget(_service, Reference, epoch);

    public override ValueTask<TResult> AskAsync<TInvocation, TResult>(in TInvocation invocation, TimeSpan? timeout, CancellationToken cancellation) =>
        Ask<TInvocation, TResult>(invocation, timeout, cancellation, out _);

    public override ValueTask AskVoidAsync<TInvocation>(in TInvocation invocation, TimeSpan? timeout, CancellationToken cancellation)
    {
        // The call is its own non-generic source too: awaiting it directly allocates nothing more.
        ValueTask<RpcVoid> pending = Ask<TInvocation, RpcVoid>(invocation, timeout, cancellation, out RemoteCall<TInvocation, RpcVoid>? call);
        return call is not null ? new ValueTask(call, call.Version)
            : pending.IsCompletedSuccessfully ? default
            : new ValueTask(pending.AsTask());
    }

    public override void Tell<TInvocation>(in TInvocation invocation)
    {
        RpcMethodDescriptor method = TInvocation.Method;
        RpcInstruments instruments = _service.Runtime.Instruments;
        CallObservation observation = instruments.ClientObserved
            ? CallObservation.StartClient(instruments, method, _reference.EndpointName, _reference.Address)
            : default;
        RpcConnection connection;
        try
        {
            connection = GetConnection();
        }
        catch (RpcConnectionException exception)
        {
            DropOneWay(method, exception.Message, ref observation);
            return;
        }

        Announce(connection, method.Gateway);
        Activity? trace = observation.RecordedSpan;
        FrameBuffer frame = FrameBuffer.Rent(_extensions.FrameTypeWith(trace), connection.FrameLimit);
        try
        {
            WriteRequest<TInvocation, RpcVoid>(connection, frame, 0, invocation, Timeout.InfiniteTimeSpan, trace);
            if (frame.Length > connection.FrameLimit)
            {
                DropOneWay(method, $"the request is {frame.Length:N0} bytes, over the frame limit of {connection.FrameLimit:N0} bytes", ref observation);
            }
            else if (!connection.Enqueue(frame.Complete()))
            {
                DropOneWay(method, connection.IsClosed ? connection.CloseReason.Message : "the connection's send queue is full", ref observation);
            }
            else if (observation.IsActive)
            {
                CallObservation.RecordClientRequest(instruments, method, frame.Length);
                observation.FinishOneWay(instruments, method, CallStatus.Ok);
            }
        }
        catch (FrameTooLargeException tooLarge)
        {
            DropOneWay(method, $"the request is {tooLarge.Message}", ref observation);
        }
        catch (Exception exception)
        {
            DropOneWay(method, $"the arguments could not be written: {exception.Message}", ref observation);
        }
        finally
        {
            frame.Return();
        }
    }

    public override IAsyncEnumerable<TItem> Stream<TInvocation, TItem>(in TInvocation invocation, CancellationToken cancellation) =>
        new Streams.RemoteItemStream<TInvocation, TItem>(this, invocation, cancellation);

    /// <summary>The service this target belongs to.</summary>
    internal TransportHost Host => _service;

    /// <summary>The endpoint's name in UTF-8, as requests carry it.</summary>
    internal ReadOnlySpan<byte> EndpointName => _endpointName;

    /// <summary>The connection for a call to <paramref name="gateway"/>, with the gateway's contract announced on it.</summary>
    internal RpcConnection ConnectionFor(RpcGatewayDescriptor gateway)
    {
        RpcConnection connection = GetConnection();
        Announce(connection, gateway);
        return connection;
    }

    internal RpcCallSite SiteOf(RpcMethodDescriptor method) => Site(method);

    /// <summary>Rents a request frame for a call without a timeout (a stream's) and writes its extensions and header; the caller writes the arguments.</summary>
    internal FrameBuffer BeginUntimedRequest(RpcConnection connection, long callId, RpcMethodDescriptor method)
    {
        FrameBuffer frame = FrameBuffer.Rent(_extensions.FrameType, connection.FrameLimit);
        if (!_extensions.IsEmpty)
        {
            _extensions.Write(frame);
        }

        RequestFrame.WriteHeader(frame, callId, method.Gateway.Id, method.Id, -1, _endpointName);
        return frame;
    }

    /// <summary>Asks the peer whether the endpoint exists and implements <paramref name="gateway"/>; completes when it answers.</summary>
    public async Task LookupAsync(RpcGatewayDescriptor gateway, CancellationToken cancellation)
    {
        RpcCallSite site = new(gateway.ShortName, "lookup", _reference.EndpointName, _displayAddress);
        RpcConnection connection = GetConnection();
        await connection.Ready.WaitAsync(cancellation).ConfigureAwait(false);
        LookupCall call = new(connection, connection.NextCallId(), site);
        Announce(connection, gateway);
        FrameBuffer frame = FrameBuffer.Rent(FrameType.Lookup);
        try
        {
            LookupFrame.Write(frame, call.CallId, _reference.EndpointName, gateway.Name);
            if (!connection.Register(call) || !connection.Enqueue(frame.Complete(), force: true))
            {
                call.OnConnectionClosed(call.CallId, connection.CloseReason);
            }
        }
        finally
        {
            frame.Return();
        }

        try
        {
            await call.Task.WaitAsync(_service.Options.Transport.ConnectTimeout, cancellation).ConfigureAwait(false);
        }
        catch (TimeoutException exception)
        {
            call.GiveUp();
            throw new RpcConnectionException(site, $"{connection.DisplayAddress} did not answer the lookup within the connect timeout", exception);
        }
        catch (OperationCanceledException)
        {
            call.GiveUp();
            throw;
        }
    }

    private RpcConnection GetConnection()
    {
        RpcConnection? connection = Volatile.Read(ref _connection);
        if (connection is null || connection.IsClosed)
        {
            connection = _service.Connections.Get(_reference);
            Volatile.Write(ref _connection, connection);
        }

        return connection;
    }

    /// <summary>Sends an ask; <paramref name="direct"/> is the call when the returned task is that call itself.</summary>
    private ValueTask<TResult> Ask<TInvocation, TResult>(
        in TInvocation invocation, TimeSpan? timeout, CancellationToken cancellation, out RemoteCall<TInvocation, TResult>? direct)
        where TInvocation : struct, IRpcInvocation<TInvocation, TResult>
    {
        direct = null;
        RpcCallSite site = Site(TInvocation.Method);
        RpcInstruments instruments = _service.Runtime.Instruments;

        // Observed only while someone listens: a timestamp, a counter and maybe a span; nothing at all otherwise.
        CallObservation observation = instruments.ClientObserved
            ? CallObservation.StartClient(instruments, TInvocation.Method, _reference.EndpointName, _reference.Address)
            : default;
        if (cancellation.IsCancellationRequested)
        {
            return Failed<TResult>(ref observation, TInvocation.Method, CallFailures.Cancelled(site, cancellation));
        }

        RpcConnection connection;
        try
        {
            connection = GetConnection();
        }
        catch (RpcConnectionException exception)
        {
            return Failed<TResult>(ref observation, TInvocation.Method, new RpcConnectionException(site, exception.Message, exception));
        }

        TimeSpan effectiveTimeout = timeout ?? TInvocation.Method.Timeout ?? _service.Options.DefaultTimeout;
        long callId = connection.NextCallId();
        Announce(connection, TInvocation.Method.Gateway);
        // The trace context goes only with a span that is recorded; any other request is the frame it always was.
        Activity? trace = observation.RecordedSpan;
        FrameBuffer frame = FrameBuffer.Rent(_extensions.FrameTypeWith(trace), connection.ByteStreams?.FrameGrowthLimit ?? connection.FrameLimit);
        try
        {
            try
            {
                WriteRequest<TInvocation, TResult>(connection, frame, callId, invocation, effectiveTimeout, trace);
            }
            catch (FrameTooLargeException tooLarge)
            {
                return Failed<TResult>(ref observation, TInvocation.Method, RpcMessageTooLargeException.Stopped(site, "request", tooLarge.Written, tooLarge.Limit));
            }
            catch (Exception exception)
            {
                return Failed<TResult>(ref observation, TInvocation.Method, new RpcSerializationException(site, $"the arguments could not be written: {exception.Message}", exception));
            }

            // Over the offload threshold, the request travels on a byte stream and an Offloaded frame takes its place.
            ReadOnlySpan<byte> request = connection.ByteStreams is { } streams && streams.ShouldOffload(frame.Length)
                ? streams.Offload(frame.Complete(), isReply: false)
                : frame.Complete();
            if (request.Length > connection.FrameLimit)
            {
                return Failed<TResult>(ref observation, TInvocation.Method, new RpcMessageTooLargeException(site, "request", frame.Length, connection.FrameLimit));
            }

            if (observation.IsActive)
            {
                CallObservation.RecordClientRequest(instruments, TInvocation.Method, frame.Length);
            }

            RemoteCall<TInvocation, TResult> call = RemoteCall<TInvocation, TResult>.Start(connection, callId, site, _service, effectiveTimeout, cancellation, observation);
            if (!connection.HasFreeSlot)
            {
                return AskWhenRoomAsync(connection, call, request.ToArray());
            }

            if (!connection.Register(call))
            {
                call.OnConnectionClosed(call.CallId, connection.CloseReason);
            }
            else if (connection.Enqueue(request))
            {
                call.Watch();
            }
            else
            {
                connection.Forget(call, sendCancel: false);
                if (!connection.IsClosed)
                {
                    // The send queue is full: wait for it to drain.
                    return AskWhenRoomAsync(connection, call, request.ToArray());
                }

                call.OnConnectionClosed(call.CallId, connection.CloseReason);
            }

            direct = call;
            return new ValueTask<TResult>(call, call.Version);
        }
        finally
        {
            frame.Return();
        }
    }

    /// <summary>
    /// The slow path under back-pressure: waits, within the call's own timeout and cancellation, until the connection
    /// has a free call slot and room in its send queue, then sends. Calls that wait here may be overtaken by calls
    /// made later that find room at once; under normal load no call waits.
    /// </summary>
    private static async ValueTask<TResult> AskWhenRoomAsync<TInvocation, TResult>(RpcConnection connection, RemoteCall<TInvocation, TResult> call, byte[] request)
        where TInvocation : struct, IRpcInvocation<TInvocation, TResult>
    {
        call.Watch();
        bool sent = false;
        while (!sent && !call.IsDone && !connection.IsClosed)
        {
            if (connection.HasFreeSlot && connection.HasQueueRoom(request.Length) && connection.Register(call))
            {
                sent = connection.Enqueue(request);
                if (!sent)
                {
                    connection.Forget(call, sendCancel: false);
                }

                continue;
            }

            await connection.WaitForRoomAsync(RoomPollInterval).ConfigureAwait(false);
        }

        if (!sent)
        {
            call.OnConnectionClosed(call.CallId, connection.CloseReason);
        }

        return await new ValueTask<TResult>(call, call.Version).ConfigureAwait(false);
    }

    /// <summary>A call that failed before it was sent: its observation ends with the failure.</summary>
    private ValueTask<TResult> Failed<TResult>(ref CallObservation observation, RpcMethodDescriptor method, Exception failure)
    {
        observation.FinishClient(_service.Runtime.Instruments, method, CallOutcome.StatusOf(failure), failure);
        return ValueTask.FromException<TResult>(failure);
    }

    private void WriteRequest<TInvocation, TResult>(RpcConnection connection, FrameBuffer frame, long callId, in TInvocation invocation, TimeSpan timeout, Activity? trace)
        where TInvocation : struct, IRpcInvocation<TInvocation, TResult>
    {
        RpcMethodDescriptor method = TInvocation.Method;
        int timeoutMilliseconds = timeout == Timeout.InfiniteTimeSpan ? -1 : (int)Math.Min(int.MaxValue, Math.Ceiling(timeout.TotalMilliseconds));
        if (!_extensions.IsEmpty || trace is not null)
        {
            _extensions.Write(frame, trace);
        }

        RequestFrame.WriteHeader(frame, callId, method.Gateway.Id, method.Id, timeoutMilliseconds, _endpointName);
        RpcWriter writer = new(frame, connection.Contracts);
        invocation.WriteArguments(ref writer);
        writer.Flush();
    }

    /// <summary>Makes sure the peer has this process's contract for <paramref name="gateway"/> before a frame that uses it.</summary>
    private void Announce(RpcConnection connection, RpcGatewayDescriptor gateway)
    {
        Announced? announced = Volatile.Read(ref _announced);
        if (announced is null || !ReferenceEquals(announced.Connection, connection) || !ReferenceEquals(announced.Gateway, gateway))
        {
            connection.Contracts.Announce(gateway);
            Volatile.Write(ref _announced, new Announced(connection, gateway));
        }
    }

    private RpcCallSite Site(RpcMethodDescriptor method) => new(method.Gateway.ShortName, method.Name, _reference.EndpointName, _displayAddress);

    private void DropOneWay(RpcMethodDescriptor method, string reason, ref CallObservation observation)
    {
        TransportLog.OneWayDropped(_service.TransportLogger, method.Gateway.ShortName, method.Name, $"endpoint '{_reference.EndpointName}' at {_displayAddress}", reason);
        if (observation.IsActive)
        {
            observation.FinishOneWay(_service.Runtime.Instruments, method, CallStatus.Connection, new RpcConnectionException(Site(method), reason));
        }
    }

    /// <summary>A connection and a gateway whose contract was announced on it.</summary>
    private sealed record Announced(RpcConnection Connection, RpcGatewayDescriptor Gateway);
}
