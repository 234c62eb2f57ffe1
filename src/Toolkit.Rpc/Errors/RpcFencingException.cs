namespace Toolkit.Rpc;

/// <summary>
/// A fenced call was refused because the epoch it carries is not the endpoint's current one: the caller talks to a
/// deposed leader, or acts for one. Both epochs are named; a missing one is shown as "none".
/// </summary>
public sealed class RpcFencingException : RpcException
{
    /// <summary>Creates the exception for a refused call at <paramref name="site"/>.</summary>
    public RpcFencingException(RpcCallSite site, long? callEpoch, long? endpointEpoch)
        : base(site, Describe(callEpoch, endpointEpoch))
    {
        CallEpoch = callEpoch;
        EndpointEpoch = endpointEpoch;
    }

    /// <summary>The epoch the call carried; null when it carried none.</summary>
    public long? CallEpoch { get; }

    /// <summary>The endpoint's epoch when it refused the call; null when it is not the leader.</summary>
    public long? EndpointEpoch { get; }

    private static string Describe(long? callEpoch, long? endpointEpoch) =>
        $"fenced: the call carries {Name(callEpoch)} but the endpoint {(endpointEpoch is { } epoch ? $"leads in epoch {epoch}" : "is not the leader (no epoch)")}"
        + (callEpoch is null ? "; attach the leader's epoch with gateway.WithEpoch(epoch)" : "");

    private static string Name(long? epoch) => epoch is { } value ? $"epoch {value}" : "no epoch";
}
