using Toolkit.Benchmarks.Echo;

namespace Toolkit.Benchmarks.Blob;

/// <summary>A latency probe: one exchange in flight, recorded while <see cref="Recording"/> is on, until stopped.</summary>
internal abstract class LatencyProbe
{
    private volatile bool _recording;
    private volatile bool _stopped;

    public LatencyHistogram Histogram { get; private set; } = new(preallocateBelowNanoseconds: 5_000_000);

    /// <summary>Exchanges that failed or came back wrong; any makes the run invalid.</summary>
    public long Errors { get; protected set; }

    public Exception? FirstError { get; protected set; }

    public bool Recording
    {
        get => _recording;
        set => _recording = value;
    }

    protected bool Stopped => _stopped;

    /// <summary>Starts the probe's loop; it runs until <see cref="StopAsync"/>.</summary>
    public abstract void Start();

    /// <summary>Ends the loop and returns what was recorded; a new, empty histogram takes its place.</summary>
    public async Task<LatencyHistogram> StopAsync()
    {
        _recording = false;
        _stopped = true;
        await Completion.ConfigureAwait(false);
        LatencyHistogram recorded = Histogram;
        Histogram = new LatencyHistogram(preallocateBelowNanoseconds: 5_000_000);
        _stopped = false;
        return recorded;
    }

    protected abstract Task Completion { get; }

    protected void Record(long issued, long completed)
    {
        if (_recording)
        {
            Histogram.Record(LatencyHistogram.TicksToNanoseconds(completed - issued));
        }
    }

    protected void Fail(Exception exception)
    {
        Errors++;
        FirstError ??= exception;
    }
}
