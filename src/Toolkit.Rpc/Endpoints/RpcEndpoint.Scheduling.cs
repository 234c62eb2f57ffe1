using Toolkit.Rpc.Calls;

namespace Toolkit.Rpc;

public abstract partial class RpcEndpoint
{
    private readonly HashSet<ScheduledRun> _scheduledRuns = [];

    /// <summary>Runs <paramref name="action"/> on the main thread; the task completes when it has run.</summary>
    public Task RunAsync(Action action)
    {
        ArgumentNullException.ThrowIfNull(action);
        return Submit(() =>
        {
            action();
            return Task.FromResult(true);
        }, Timeout.InfiniteTimeSpan);
    }

    /// <summary>Runs <paramref name="action"/> on the main thread; the task completes when the work it started has.</summary>
    public Task RunAsync(Func<Task> action)
    {
        ArgumentNullException.ThrowIfNull(action);
        return Submit(async () =>
        {
            await action();
            return true;
        }, Timeout.InfiniteTimeSpan);
    }

    /// <summary>Runs <paramref name="callable"/> on the main thread and returns its result, or fails after <paramref name="timeout"/>.</summary>
    public Task<T> CallAsync<T>(Func<T> callable, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(callable);
        return Submit(() => Task.FromResult(callable()), timeout);
    }

    /// <summary>Runs <paramref name="callable"/> on the main thread and returns its result, or fails after <paramref name="timeout"/>.</summary>
    public Task<T> CallAsync<T>(Func<Task<T>> callable, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(callable);
        return Submit(callable, timeout);
    }

    /// <summary>
    /// Runs <paramref name="action"/> on the main thread after <paramref name="delay"/> (measured by the service's
    /// <see cref="TimeProvider"/>). The task completes when it has run, faults if it threw, and is cancelled when
    /// <paramref name="cancellation"/> fires first or the endpoint stops.
    /// </summary>
    public Task ScheduleRunAsync(Action action, TimeSpan delay, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(action);
        return ScheduleRunAsync(() =>
        {
            action();
            return Task.CompletedTask;
        }, delay, cancellation);
    }

    /// <summary>Runs asynchronous <paramref name="action"/> on the main thread after <paramref name="delay"/>.</summary>
    public Task ScheduleRunAsync(Func<Task> action, TimeSpan delay, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(action);
        ArgumentOutOfRangeException.ThrowIfLessThan(delay, TimeSpan.Zero);
        EndpointRuntime runtime = RequireAcceptingWork();
        ScheduledRun run = new(this, action);
        lock (_scheduledRuns)
        {
            _scheduledRuns.Add(run);
        }

        run.Arm(runtime.TimeProvider, delay, cancellation);
        return run.Task;
    }

    internal void ForgetScheduledRun(ScheduledRun run)
    {
        lock (_scheduledRuns)
        {
            _scheduledRuns.Remove(run);
        }
    }

    private void CancelScheduledRuns()
    {
        ScheduledRun[] runs;
        lock (_scheduledRuns)
        {
            runs = [.. _scheduledRuns];
            _scheduledRuns.Clear();
        }

        foreach (ScheduledRun run in runs)
        {
            run.Cancel();
        }
    }

    private Task<T> Submit<T>(Func<Task<T>> work, TimeSpan timeout)
    {
        EndpointRuntime runtime = RequireAcceptingWork();
        CallbackCall<T> call = new(this, work, timeout);
        call.Start(runtime);
        return call.Task;
    }

    private EndpointRuntime RequireAcceptingWork()
    {
        RpcEndpointState state = State;
        if (state is not (RpcEndpointState.Starting or RpcEndpointState.Running) || _runtime is not { } runtime)
        {
            throw new RpcEndpointUnavailableException(DisplayName, state);
        }

        return runtime;
    }
}
