namespace Toolkit.Rpc.Analyzers;

/// <summary>
/// Every Toolkit analyzer diagnostic id, allocated in ranges: TK0001–TK0099 contract rules (errors: a gateway or
/// message the generator cannot generate), TK1000–TK1999 main-thread and correctness rules (warnings),
/// TK2000–TK2999 performance rules.
/// </summary>
public static class DiagnosticIds
{
    // Contract rules (TK0001–TK0099).
    public const string UnsupportedReturnType = "TK0001";
    public const string UnsupportedParameter = "TK0002";
    public const string UnserializableType = "TK0003";
    public const string UnsupportedGatewayMember = "TK0004";
    public const string MisplacedSpecialParameter = "TK0005";
    public const string MethodIdCollision = "TK0006";
    public const string InvalidUnion = "TK0007";
    public const string NotConstructible = "TK0008";
    public const string GenericGateway = "TK0009";
    public const string InaccessibleType = "TK0010";
    public const string TimeoutWithoutMilliseconds = "TK0011";
    public const string InvalidFault = "TK0012";
    public const string MisplacedStream = "TK0013";
    public const string MisplacedByteStream = "TK0014";

    // Main-thread and correctness rules (TK1000–TK1999).

    /// <summary>A blocking wait (<c>.Result</c>, <c>Wait()</c>, <c>GetAwaiter().GetResult()</c>, <c>Thread.Sleep</c>, ...) in an endpoint.</summary>
    public const string BlockingWait = "TK1001";

    /// <summary><c>ConfigureAwait(false)</c> in an endpoint: the continuation leaves the main thread.</summary>
    public const string ConfigureAwaitFalse = "TK1002";

    /// <summary>Endpoint state touched from a delegate that runs on another thread.</summary>
    public const string StateTouchedOffMainThread = "TK1003";

    /// <summary>An <c>async void</c> method, local function or lambda in an endpoint.</summary>
    public const string AsyncVoid = "TK1004";

    /// <summary>A <c>lock</c> or <c>Monitor.Enter</c> around endpoint state.</summary>
    public const string LockAroundEndpointState = "TK1005";

    /// <summary>A gateway method called on another endpoint's class instance instead of through its gateway.</summary>
    public const string EndpointCalledDirectly = "TK1006";

    /// <summary>The task returned by a gateway call is dropped.</summary>
    public const string DroppedGatewayTask = "TK1007";

    /// <summary>A mutable object passed as a gateway call argument, shared by reference on local calls.</summary>
    public const string MutableGatewayArgument = "TK1008";

    public const string FencedGatewayOnUnfencedEndpoint = "TK1009";

    public const string FencedGatewayWithoutEpoch = "TK1010";
}
