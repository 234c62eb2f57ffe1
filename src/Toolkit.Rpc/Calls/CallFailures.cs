namespace Toolkit.Rpc.Calls;

/// <summary>Turns what an endpoint method threw into what its caller sees.</summary>
internal static class CallFailures
{
    public static Exception FromEndpoint(RpcCallSite site, Exception exception, CancellationToken callerCancellation)
    {
        if (exception is OperationCanceledException && callerCancellation.IsCancellationRequested)
        {
            return new OperationCanceledException($"Call to {site} was cancelled by the caller.", exception, callerCancellation);
        }

        if (exception is RpcSerializationException { Site: null } serialization)
        {
            return new RpcSerializationException(site, serialization.Message, serialization);
        }

        return new RpcRemoteException(site, exception.GetType().FullName ?? exception.GetType().Name, exception.Message, exception.StackTrace, exception);
    }

    public static OperationCanceledException Cancelled(RpcCallSite site, CancellationToken cancellation) =>
        new($"Call to {site} was cancelled by the caller.", cancellation);
}
