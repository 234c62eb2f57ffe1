namespace Toolkit.Rpc.Observability;

/// <summary>
/// The outcome of a call as metrics and spans name it (<c>rpc.toolkit.status</c>, and <c>error.type</c> on failure):
/// "ok", or the kind of error — few values, so that every one can be a metric dimension.
/// </summary>
internal static class CallStatus
{
    public const string Ok = "ok";
    public const string Timeout = "timeout";
    public const string Cancelled = "cancelled";
    public const string Unavailable = "unavailable";
    public const string NotFound = "not_found";
    public const string Connection = "connection";
    public const string Serialization = "serialization";
    public const string TooLarge = "too_large";
    public const string Incompatible = "incompatible";
    public const string Fenced = "fenced";
    public const string Exception = "exception";
    public const string Error = "error";

    /// <summary>The status of a call that ended with <paramref name="failure"/>, or <see cref="Ok"/> when it is null.</summary>
    public static string Of(System.Exception? failure) => failure switch
    {
        null => Ok,
        RpcTimeoutException => Timeout,
        OperationCanceledException => Cancelled,
        RpcEndpointUnavailableException => Unavailable,
        RpcEndpointNotFoundException => NotFound,
        RpcConnectionException => Connection,
        RpcMessageTooLargeException => TooLarge,
        RpcSerializationException => Serialization,
        RpcContractException => Incompatible,
        RpcFencingException => Fenced,
        RpcRemoteException => Exception,
        RpcException => Error,
        _ => Exception, // what the method threw: as the endpoint sees it, or a fault it declares as its caller does
    };
}
