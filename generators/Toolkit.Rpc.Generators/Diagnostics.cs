using Microsoft.CodeAnalysis;

namespace Toolkit.Rpc.Generators;

/// <summary>The generator's diagnostics: contract errors that leave a gateway without generated code.</summary>
internal static class Diagnostics
{
    private const string Category = "Toolkit.Contract";
    private const string HelpBase = "https://github.com/toolkit-rpc/toolkit/blob/main/docs/diagnostics.md#";

    public static readonly DiagnosticDescriptor UnsupportedReturnType = Create(
        DiagnosticIds.UnsupportedReturnType,
        "Unsupported gateway method return type",
        "Gateway method '{0}' returns '{1}'; gateway methods return Task, Task<T>, ValueTask, ValueTask<T> or void",
        "A gateway method is either request/response (Task, Task<T>, ValueTask, ValueTask<T>) or one-way (void). Change the return type to one of these.");

    public static readonly DiagnosticDescriptor UnsupportedParameter = Create(
        DiagnosticIds.UnsupportedParameter,
        "Unsupported gateway method parameter",
        "Parameter '{0}' of gateway method '{1}' is {2}; gateway parameters are passed by value",
        "Arguments cross process boundaries as copies, so ref, out, in and params parameters cannot be honoured. Pass the value and return results instead.");

    public static readonly DiagnosticDescriptor UnserializableType = Create(
        DiagnosticIds.UnserializableType,
        "Type cannot cross the wire",
        "{0} is '{1}', which cannot be serialized: {2}",
        "Every parameter and result of a gateway method, and every member reachable from them, must have a wire form: numbers, bool, char, enums, string, Guid, DateTime, DateTimeOffset, TimeSpan, decimal, nullable values, arrays, lists, sets, dictionaries, ReadOnlyMemory<byte>, records, classes and structs with public members, unions and gateways. Change the member's type or mark it [RpcIgnore].");

    public static readonly DiagnosticDescriptor UnsupportedGatewayMember = Create(
        DiagnosticIds.UnsupportedGatewayMember,
        "Gateway declares a member that is not a plain method",
        "Gateway '{0}' declares {1} '{2}'; gateways may only declare non-generic methods",
        "Properties, events, indexers, static members and generic methods have no remote form. Replace them with methods.");

    public static readonly DiagnosticDescriptor MisplacedSpecialParameter = Create(
        DiagnosticIds.MisplacedSpecialParameter,
        "Timeout or cancellation parameter misplaced",
        "Gateway method '{0}': {1}",
        "A gateway method may take at most one [RpcTimeout] TimeSpan parameter and at most one CancellationToken, after all arguments, with the CancellationToken last. One-way (void) methods take neither.");

    public static readonly DiagnosticDescriptor MethodIdCollision = Create(
        DiagnosticIds.MethodIdCollision,
        "Gateway method ids collide",
        "Gateway methods '{0}' and '{1}' have the same method id 0x{2}",
        "Method ids are hashes of the method name and parameter types. Rename one of the methods.");

    public static readonly DiagnosticDescriptor InvalidUnion = Create(
        DiagnosticIds.InvalidUnion,
        "Invalid union",
        "Union '{0}': {1}",
        "An abstract class or interface that travels on the wire needs [RpcUnion(tag, typeof(Case))] for each concrete case, with distinct tags from 0 to 65535, and each case must derive from it.");

    public static readonly DiagnosticDescriptor NotConstructible = Create(
        DiagnosticIds.NotConstructible,
        "Message type cannot be constructed from its members",
        "'{0}' cannot be created when it is read: {1}",
        "Deserialization creates a message through a public constructor whose parameters match its members by name (a record's primary constructor, or one marked [RpcConstructor]) or through a public parameterless constructor and settable members.");

    public static readonly DiagnosticDescriptor GenericGateway = Create(
        DiagnosticIds.GenericGateway,
        "Generic gateway",
        "Gateway '{0}' is generic; gateways cannot have type parameters",
        "A gateway's wire contract must be fixed. Declare a non-generic interface for each instantiation.");

    public static readonly DiagnosticDescriptor InaccessibleType = Create(
        DiagnosticIds.InaccessibleType,
        "Type is not accessible to generated code",
        "'{0}' is {1}; generated code needs it to be public or internal",
        "The generator emits proxies and serializers as separate internal types of the same assembly; they cannot reach private or protected nested types, or internal types of other assemblies.");

    private static DiagnosticDescriptor Create(string id, string title, string message, string description) => new(
        id,
        title,
        message,
        Category,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description,
        HelpBase + id.ToLowerInvariant());
}
