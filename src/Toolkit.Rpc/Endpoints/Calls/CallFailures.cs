namespace Toolkit.Rpc.Calls;

/// <summary>Turns what an endpoint method threw into what its caller sees.</summary>
internal static class CallFailures
{
    /// <summary>What the caller of <paramref name="method"/> sees when the endpoint threw <paramref name="exception"/>.</summary>
    /// <param name="site">The call.</param>
    /// <param name="method">The method, whose declared faults reach the caller as themselves.</param>
    /// <param name="exception">What the method threw.</param>
    /// <param name="callerCancellation">The caller's token: a cancellation it asked for is reported as such.</param>
    /// <param name="serializeThrough">
    /// When calls are serialized locally, the context a declared fault is written and read back with, as it would
    /// cross the wire; null to hand the caller the very exception.
    /// </param>
    public static Exception FromEndpoint(
        RpcCallSite site, RpcMethodDescriptor method, Exception exception, CancellationToken callerCancellation, RpcSerializationContext? serializeThrough = null)
    {
        if (exception is OperationCanceledException && callerCancellation.IsCancellationRequested)
        {
            return new OperationCanceledException($"Call to {site} was cancelled by the caller.", exception, callerCancellation);
        }

        if (exception is RpcSerializationException { Site: null } serialization)
        {
            return new RpcSerializationException(site, serialization.Message, serialization);
        }

        if (method.FindFault(exception) is { } fault)
        {
            try
            {
                return serializeThrough is null ? exception : fault.RoundTrip(exception, serializeThrough);
            }
            catch (Exception failure)
            {
                return new RpcSerializationException(site, $"the {fault.Name} it threw could not be written or read back: {failure.Message}", failure);
            }
        }

        return new RpcRemoteException(site, exception.GetType().FullName ?? exception.GetType().Name, exception.Message, exception.StackTrace, exception);
    }

    public static OperationCanceledException Cancelled(RpcCallSite site, CancellationToken cancellation) =>
        new($"Call to {site} was cancelled by the caller.", cancellation);
}
