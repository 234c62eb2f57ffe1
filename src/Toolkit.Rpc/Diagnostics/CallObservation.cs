using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Toolkit.Rpc.Observability;

/// <summary>
/// What a call item keeps of one call's telemetry: when it started (a <see cref="Stopwatch"/> timestamp) and its span.
/// The default value observes nothing and costs nothing to finish: calls made while nobody listens keep it.
/// </summary>
internal struct CallObservation
{
    /// <summary>The start's timestamp; 0 when the call is not observed.</summary>
    public long Started;

    /// <summary>The call's span, when a listener sampled it.</summary>
    public Activity? Activity;

    /// <summary>The call's span when a listener records it: the one whose trace context a request carries.</summary>
    public readonly Activity? RecordedSpan => Activity is { Recorded: true } activity ? activity : null;

    /// <summary>Whether the call is observed and must be finished.</summary>
    public readonly bool IsActive => Started != 0;

    /// <summary>Starts observing a call made by this service: counts it and starts its client span.</summary>
    public static CallObservation StartClient(RpcInstruments instruments, RpcMethodDescriptor method, string endpoint, string? serverAddress)
    {
        if (instruments.ClientStarted.Enabled)
        {
            instruments.ClientStarted.Add(1, RpcInstruments.Tags(method, null));
        }

        return new CallObservation
        {
            Activity = RpcActivities.Source.HasListeners() ? RpcActivities.StartClient(method, endpoint, serverAddress) : null,
            Started = Stopwatch.GetTimestamp(),
        };
    }

    /// <summary>Starts observing a call served by this service: counts it and starts its server span under <paramref name="parent"/>.</summary>
    public static CallObservation StartServer(
        RpcInstruments instruments, RpcMethodDescriptor method, string endpoint, in ActivityContext parent, string? peer, long started = 0, bool withSpan = true)
    {
        if (instruments.ServerStarted.Enabled)
        {
            instruments.ServerStarted.Add(1, RpcInstruments.Tags(method, null));
        }

        return new CallObservation
        {
            Activity = withSpan && RpcActivities.Source.HasListeners() ? RpcActivities.StartServer(method, endpoint, parent, peer) : null,
            Started = started != 0 ? started : Stopwatch.GetTimestamp(),
        };
    }

    /// <summary>The size of a request sent, for the client's histogram.</summary>
    public static void RecordClientRequest(RpcInstruments instruments, RpcMethodDescriptor method, long bytes)
    {
        if (instruments.ClientRequestSize.Enabled)
        {
            instruments.ClientRequestSize.Record(bytes, RpcInstruments.Tags(method, null));
        }
    }

    /// <summary>The size of a request received, for the server's histogram.</summary>
    public static void RecordServerRequest(RpcInstruments instruments, RpcMethodDescriptor method, long bytes)
    {
        if (instruments.ServerRequestSize.Enabled)
        {
            instruments.ServerRequestSize.Record(bytes, RpcInstruments.Tags(method, null));
        }
    }

    /// <summary>Records a call made by this service that ended with <paramref name="status"/>; once.</summary>
    /// <param name="instruments">The service's instruments.</param>
    /// <param name="method">The method called.</param>
    /// <param name="status">The outcome (<see cref="CallStatus"/>).</param>
    /// <param name="failure">What the caller gets instead of a result, or null.</param>
    /// <param name="responseBytes">The reply's size for a remote call that got one; −1 otherwise.</param>
    public void FinishClient(RpcInstruments instruments, RpcMethodDescriptor method, string status, Exception? failure = null, long responseBytes = -1)
    {
        if (Started != 0)
        {
            Finish(instruments.ClientDuration, instruments.ClientFailed, instruments.ClientResponseSize, method, status, failure, responseBytes);
        }
    }

    /// <summary>Records a call served by this service whose method ended with <paramref name="status"/>; once.</summary>
    /// <param name="instruments">The service's instruments.</param>
    /// <param name="method">The method served.</param>
    /// <param name="status">The outcome (<see cref="CallStatus"/>).</param>
    /// <param name="failure">What the method threw, if it did.</param>
    /// <param name="responseBytes">The size of the reply sent to another service; −1 when none was (a local call, a one-way call).</param>
    public void FinishServer(RpcInstruments instruments, RpcMethodDescriptor method, string status, Exception? failure = null, long responseBytes = -1)
    {
        if (Started != 0)
        {
            Finish(instruments.ServerDuration, instruments.ServerFailed, instruments.ServerResponseSize, method, status, failure, responseBytes);
        }
    }

    private void Finish(
        Histogram<double> duration, Counter<long> failed, Histogram<long> size, RpcMethodDescriptor method, string status, Exception? failure, long responseBytes)
    {
        long started = Started;
        Started = 0;
        TagList tags = RpcInstruments.Tags(method, status);
        if (duration.Enabled)
        {
            duration.Record(RpcInstruments.SecondsSince(started), tags);
        }

        if (!ReferenceEquals(status, CallStatus.Ok) && failed.Enabled)
        {
            failed.Add(1, tags);
        }

        if (responseBytes >= 0 && size.Enabled)
        {
            size.Record(responseBytes, tags);
        }

        if (Activity is { } activity)
        {
            Activity = null;
            RpcActivities.Stop(activity, status, failure);
        }
    }

    /// <summary>
    /// Ends the observation of a one-way call once it was queued (or dropped: <paramref name="status"/>): it has no
    /// outcome to wait for, so no duration; its span ends here.
    /// </summary>
    public void FinishOneWay(RpcInstruments instruments, RpcMethodDescriptor method, string status, Exception? failure = null)
    {
        if (Started == 0)
        {
            return;
        }

        Started = 0;
        if (!ReferenceEquals(status, CallStatus.Ok) && instruments.ClientFailed.Enabled)
        {
            instruments.ClientFailed.Add(1, RpcInstruments.Tags(method, status));
        }

        if (Activity is { } activity)
        {
            Activity = null;
            RpcActivities.Stop(activity, status, failure);
        }
    }
}
