using Toolkit.Rpc.Observability;

namespace Toolkit.Rpc.Calls;

/// <summary>Which <see cref="CallStatus"/> a call's outcome is, for its metrics and spans.</summary>
internal static class CallOutcome
{
    /// <summary>The status of a call that ended with <paramref name="failure"/>, or <see cref="CallStatus.Ok"/> when it is null.</summary>
    public static string StatusOf(Exception? failure) => failure switch
    {
        null => CallStatus.Ok,
        RpcTimeoutException => CallStatus.Timeout,
        OperationCanceledException => CallStatus.Cancelled,
        RpcEndpointUnavailableException => CallStatus.Unavailable,
        RpcEndpointNotFoundException => CallStatus.NotFound,
        RpcConnectionException => CallStatus.Connection,
        RpcMessageTooLargeException => CallStatus.TooLarge,
        RpcSerializationException => CallStatus.Serialization,
        RpcContractException => CallStatus.Incompatible,
        RpcFencingException => CallStatus.Fenced,
        RpcRemoteException => CallStatus.Exception,
        RpcException => CallStatus.Error,
        _ => CallStatus.Exception, // what the method threw: as the endpoint sees it, or a fault it declares as its caller does
    };
}
