using System.Collections.Concurrent;
using System.Diagnostics;

namespace Toolkit.Rpc.Observability.Tests;

/// <summary>
/// Records the spans of one test: the listener samples only activities in the trace of <see cref="StartRoot"/>'s root,
/// so that tests running side by side neither see each other's spans nor make each other's calls sampled.
/// </summary>
internal sealed class SpanRecorder : IDisposable
{
    private static readonly ActivitySource TestSource = new("Toolkit.Rpc.Observability.Tests");

    private readonly ActivityListener _listener;
    private readonly ConcurrentQueue<Activity> _stopped = new();
    private ActivityTraceId _trace;

    public SpanRecorder()
    {
        // Made before the listener: a source first made inside ShouldListenTo, while the listener is being added, misses it.
        ActivitySource testSource = TestSource;
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name is RpcTelemetry.ActivitySourceName || ReferenceEquals(source, testSource),
            Sample = (ref ActivityCreationOptions<ActivityContext> options) =>
                options.Source == testSource && options.Parent == default && _trace == default ? ActivitySamplingResult.AllDataAndRecorded
                : _trace != default && options.Parent.TraceId == _trace ? ActivitySamplingResult.AllDataAndRecorded
                : ActivitySamplingResult.None,
            ActivityStopped = activity =>
            {
                if (activity.TraceId == _trace)
                {
                    _stopped.Enqueue(activity);
                }
            },
        };
        ActivitySource.AddActivityListener(_listener);
    }

    /// <summary>The spans of the test's trace that have ended, the root's last once it has.</summary>
    public IReadOnlyList<Activity> Stopped => [.. _stopped];

    /// <summary>Starts the test's root span; calls made under it are sampled.</summary>
    public Activity StartRoot()
    {
        Activity root = TestSource.StartActivity("test")
            ?? throw new InvalidOperationException("The test's root span was not sampled.");
        _trace = root.TraceId;
        return root;
    }

    /// <summary>The Toolkit spans of the trace, waiting a moment for <paramref name="count"/> (server spans end as their reply goes out).</summary>
    public async Task<Activity[]> RpcSpansAsync(int count)
    {
        for (int i = 0; i < 200 && Rpc().Length < count; i++)
        {
            await Task.Delay(10);
        }

        return Rpc();

        Activity[] Rpc() => [.. _stopped.Where(activity => activity.Source.Name == RpcTelemetry.ActivitySourceName)];
    }

    public void Dispose() => _listener.Dispose();
}
