namespace Toolkit.Rpc.Observability;

/// <summary>
/// The outcome of a call as metrics and spans name it (<c>rpc.toolkit.status</c>, and <c>error.type</c> on failure):
/// "ok", or the kind of error — few values, so that every one can be a metric dimension. <c>CallOutcome.StatusOf</c>
/// (with the calls, which know the exceptions) tells which a failure is.
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
}
