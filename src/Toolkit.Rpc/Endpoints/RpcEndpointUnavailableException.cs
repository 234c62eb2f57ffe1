namespace Toolkit.Rpc;

/// <summary>The target endpoint cannot take the call: it has not been started, or it is stopping or stopped.</summary>
public sealed class RpcEndpointUnavailableException : RpcException
{
    /// <summary>Creates the error for the call at <paramref name="site"/>.</summary>
    public RpcEndpointUnavailableException(RpcCallSite site, RpcEndpointState state)
        : base(site, Describe(state))
    {
        State = state;
    }

    /// <summary>Creates the error for the call at <paramref name="site"/> with the reason the endpoint's service gave.</summary>
    public RpcEndpointUnavailableException(RpcCallSite site, RpcEndpointState state, string reason)
        : base(site, reason)
    {
        State = state;
    }

    /// <summary>Creates an error that is not tied to a gateway call.</summary>
    public RpcEndpointUnavailableException(string endpoint, RpcEndpointState state)
        : base($"Endpoint '{endpoint}' cannot run the work: {Describe(state)}")
    {
        State = state;
    }

    /// <summary>The endpoint's state when the call reached it.</summary>
    public RpcEndpointState State { get; }

    private static string Describe(RpcEndpointState state) => state switch
    {
        RpcEndpointState.Created => "the endpoint has not been started (start it with RpcService.StartEndpointAsync first)",
        RpcEndpointState.Starting => "the endpoint failed to start",
        RpcEndpointState.Stopping => "the endpoint is stopping",
        _ => "the endpoint has been stopped",
    };
}
