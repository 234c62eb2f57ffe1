using Toolkit.Rpc.Calls;

namespace Toolkit.Rpc;

public abstract partial class RpcEndpoint
{
    private readonly Lock _lifecycleLock = new();
    private int _state;
    private Task? _startTask;
    private Task? _stopTask;

    /// <summary>The order in which the service started its endpoints; it stops them in reverse.</summary>
    internal long StartSequence { get; private set; }

    internal Task StartAsync(EndpointRuntime runtime, string name, long startSequence)
    {
        lock (_lifecycleLock)
        {
            if (State != RpcEndpointState.Created)
            {
                throw new InvalidOperationException(
                    $"Endpoint '{DisplayName}' was already started once; an endpoint instance runs once, create a new one.");
            }

            _runtime = runtime;
            _name = name;
            StartSequence = startSequence;
            _reference = new RpcEndpointReference(runtime.NodeId, runtime.Address, name);
            _logger = runtime.LoggerFactory.CreateLogger(GetType().FullName ?? GetType().Name);
            _gateways = RpcGatewayRegistry.GatewaysOf(this).ToDictionary(gateway => gateway.Id);
            Volatile.Write(ref _state, (int)RpcEndpointState.Starting);
            CallbackCall<bool> start = new(this, RunStartAsync, Timeout.InfiniteTimeSpan);
            start.Start(runtime);
            _startTask = start.Task;
            return _startTask;
        }
    }

    internal Task StopAsync(Func<Task> afterStop)
    {
        lock (_lifecycleLock)
        {
            return _stopTask ??= StopOnceAsync(afterStop);
        }
    }

    private async Task StopOnceAsync(Func<Task> afterStop)
    {
        if (_startTask is { } start)
        {
            // Stop after a start in progress has finished; a failed start has already stopped the endpoint.
            await start.ContinueWith(static _ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default)
                .ConfigureAwait(false);
        }

        if (Interlocked.CompareExchange(ref _state, (int)RpcEndpointState.Stopping, (int)RpcEndpointState.Running) == (int)RpcEndpointState.Running)
        {
            // Internal work runs only while Running, so the stop itself is a continuation-kind item.
            TaskCompletionSource stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
            Enqueue(new PostedCallback(
                static state =>
                {
                    (RpcEndpoint endpoint, TaskCompletionSource completion) = ((RpcEndpoint, TaskCompletionSource))state!;
                    _ = endpoint.RunStopAsync(completion);
                },
                (this, stopped)));
            try
            {
                await stopped.Task.ConfigureAwait(false);
            }
            finally
            {
                await afterStop().ConfigureAwait(false);
            }

            return;
        }

        Volatile.Write(ref _state, (int)RpcEndpointState.Stopped);
        await afterStop().ConfigureAwait(false);
    }

    private async Task<bool> RunStartAsync()
    {
        try
        {
            await OnStartAsync();
        }
        catch (Exception exception)
        {
            Volatile.Write(ref _state, (int)RpcEndpointState.Stopped);
            _mailbox.RejectDeferredCalls(RpcEndpointState.Starting);
            throw new RpcException($"Endpoint '{DisplayName}' failed to start: OnStartAsync threw {exception.GetType().Name}: {exception.Message}", exception);
        }

        Volatile.Write(ref _state, (int)RpcEndpointState.Running);
        EndpointLog.Started(Logger, DisplayName, GetType().Name);
        _mailbox.RunDeferredCalls();
        return true;
    }

    private async Task RunStopAsync(TaskCompletionSource stopped)
    {
        CancelScheduledRuns();
        Exception? failure = null;
        try
        {
            await OnStopAsync();
        }
        catch (Exception exception)
        {
            failure = exception;
        }

        Volatile.Write(ref _state, (int)RpcEndpointState.Stopped);
        FailInFlightCalls();
        EndpointLog.Stopped(Logger, DisplayName);
        if (failure is null)
        {
            stopped.TrySetResult();
        }
        else
        {
            stopped.TrySetException(new RpcException(
                $"Endpoint '{DisplayName}' stopped, but OnStopAsync threw {failure.GetType().Name}: {failure.Message}", failure));
        }
    }
}
