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

    // Main-thread and correctness rules (TK1000–TK1999).
}
