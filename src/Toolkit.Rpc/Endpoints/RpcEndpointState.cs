namespace Toolkit.Rpc;

/// <summary>Where an endpoint is in its life.</summary>
public enum RpcEndpointState
{
    /// <summary>Constructed, not started: calls fail.</summary>
    Created,

    /// <summary><c>OnStartAsync</c> is running: calls wait until it completes.</summary>
    Starting,

    /// <summary>Taking calls.</summary>
    Running,

    /// <summary>Stopping: queued calls fail, <c>OnStopAsync</c> runs.</summary>
    Stopping,

    /// <summary>Stopped: calls fail.</summary>
    Stopped,
}
