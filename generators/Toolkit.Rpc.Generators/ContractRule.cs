namespace Toolkit.Rpc.Generators;

/// <summary>
/// The contract rules a gateway or message can break. The generator skips what breaks one; the analyzers map each
/// rule to its diagnostic (the names match the analyzers' <c>DiagnosticIds</c>).
/// </summary>
internal enum ContractRule
{
    UnsupportedReturnType,
    UnsupportedParameter,
    UnserializableType,
    UnsupportedGatewayMember,
    MisplacedSpecialParameter,
    MethodIdCollision,
    InvalidUnion,
    NotConstructible,
    GenericGateway,
    InaccessibleType,
    TimeoutWithoutMilliseconds,
    InvalidFault,
    MisplacedStream,
    MisplacedByteStream,
}
