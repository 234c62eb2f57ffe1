using System.Diagnostics;

namespace Toolkit.Rpc.Observability;

/// <summary>
/// The client and server spans of calls (source <see cref="RpcTelemetry.ActivitySourceName"/>), named
/// <c>{gateway}/{method}</c> with OpenTelemetry's RPC attributes. A span never stays <see cref="Activity.Current"/> on
/// a thread it does not own: the transport's readers and the pool's threads start and stop spans of many calls, so
/// each helper puts back the ambient activity that it found.
/// </summary>
internal static class RpcActivities
{
    public static readonly ActivitySource Source = new(RpcTelemetry.ActivitySourceName, typeof(RpcActivities).Assembly.GetName().Version?.ToString(3));

    /// <summary>
    /// Starts a client span under the ambient activity when a listener samples it; null otherwise. The ambient activity
    /// stays what it was.
    /// </summary>
    public static Activity? StartClient(RpcMethodDescriptor method, string endpoint, string? serverAddress)
    {
        Activity? ambient = Activity.Current;
        Activity? activity = Source.CreateActivity(SpanName(method), ActivityKind.Client);
        if (activity is null)
        {
            return null;
        }

        if (activity.IsAllDataRequested)
        {
            AddCommonTags(activity, method, endpoint);
            if (serverAddress is not null)
            {
                activity.AddTag("server.address", serverAddress);
            }
        }

        activity.Start();
        Restore(ambient);
        return activity;
    }

    /// <summary>
    /// Starts a server span under <paramref name="parent"/> (the caller's span: from the request frame, or the local
    /// caller's) when a listener samples it; null otherwise. The ambient activity stays what it was.
    /// </summary>
    public static Activity? StartServer(RpcMethodDescriptor method, string endpoint, in ActivityContext parent, string? peer)
    {
        Activity? ambient = Activity.Current;
        Activity? activity = Source.CreateActivity(SpanName(method), ActivityKind.Server, parent);
        if (activity is null)
        {
            return null;
        }

        if (activity.IsAllDataRequested)
        {
            AddCommonTags(activity, method, endpoint);
            if (peer is not null)
            {
                activity.AddTag("rpc.toolkit.peer", peer);
            }
        }

        activity.Start();
        Restore(ambient);
        return activity;
    }

    /// <summary>
    /// Ends <paramref name="activity"/> with the call's outcome. The ambient activity stays what it was, unless it is
    /// <paramref name="activity"/> itself (a method that finished inside its dispatch): then its predecessor comes back.
    /// </summary>
    public static void Stop(Activity activity, string status, Exception? failure)
    {
        bool failed = !ReferenceEquals(status, CallStatus.Ok);
        if (activity.IsAllDataRequested)
        {
            activity.AddTag("rpc.toolkit.status", status);
            if (failed)
            {
                activity.AddTag("error.type", status);
                if (failure is not null)
                {
                    activity.AddException(failure);
                }
            }
        }

        if (failed)
        {
            activity.SetStatus(ActivityStatusCode.Error, failure?.Message ?? status);
        }

        // Stop makes the activity's predecessor current on this thread: put back what was there.
        Activity? ambient = Activity.Current;
        activity.Stop();
        if (!ReferenceEquals(ambient, activity))
        {
            Restore(ambient);
        }
    }

    /// <summary>Makes <paramref name="ambient"/> current again (or none, should it have stopped meanwhile: a stopped one cannot be).</summary>
    public static void Restore(Activity? ambient) => Activity.Current = ambient is { IsStopped: true } ? null : ambient;

    private static void AddCommonTags(Activity activity, RpcMethodDescriptor method, string endpoint)
    {
        activity.AddTag("rpc.system", RpcInstruments.RpcSystem);
        activity.AddTag("rpc.service", method.Gateway.Name);
        activity.AddTag("rpc.method", method.Name);
        activity.AddTag("rpc.toolkit.endpoint", endpoint);
    }

    private static string SpanName(RpcMethodDescriptor method) => method.SpanName ??= $"{method.Gateway.Name}/{method.Name}";
}
