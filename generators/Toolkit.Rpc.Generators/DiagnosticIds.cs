namespace Toolkit.Rpc.Generators;

/// <summary>Every Toolkit diagnostic id. TK0001–TK0099: contract errors the generator cannot generate around.</summary>
public static class DiagnosticIds
{
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
}
