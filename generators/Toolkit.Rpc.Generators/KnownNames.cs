namespace Toolkit.Rpc.Generators;

/// <summary>Names the generator looks for and emits; fully qualified so that user code cannot shadow them.</summary>
internal static class KnownNames
{
    public const string GatewayAttribute = "Toolkit.Rpc.RpcGatewayAttribute";
    public const string TimeoutAttribute = "Toolkit.Rpc.RpcTimeoutAttribute";
    public const string UnionAttribute = "Toolkit.Rpc.RpcUnionAttribute";
    public const string IgnoreAttribute = "Toolkit.Rpc.RpcIgnoreAttribute";
    public const string ConstructorAttribute = "Toolkit.Rpc.RpcConstructorAttribute";
    public const string FaultAttribute = "Toolkit.Rpc.RpcFaultAttribute";
    public const string Endpoint = "Toolkit.Rpc.RpcEndpoint";

    public const string Writer = "global::Toolkit.Rpc.Serialization.RpcWriter";
    public const string Reader = "global::Toolkit.Rpc.Serialization.RpcReader";
    public const string ThrowHelper = "global::Toolkit.Rpc.Serialization.ThrowHelper";
    public const string SerializerOf = "global::Toolkit.Rpc.Serialization.RpcSerializer";
    public const string GatewayReferences = "global::Toolkit.Rpc.Serialization.RpcGatewayReferences";
    public const string MethodDescriptor = "global::Toolkit.Rpc.Gateways.RpcMethodDescriptor";
    public const string MethodKind = "global::Toolkit.Rpc.Gateways.RpcMethodKind";
    public const string Fault = "global::Toolkit.Rpc.Gateways.RpcFault";
    public const string GatewayDescriptor = "global::Toolkit.Rpc.Gateways.RpcGatewayDescriptor";
    public const string GatewayRegistry = "global::Toolkit.Rpc.Gateways.RpcGatewayRegistry";
    public const string MethodHandler = "global::Toolkit.Rpc.Gateways.RpcMethodHandler";
    public const string InvocationInterface = "global::Toolkit.Rpc.Gateways.IRpcInvocation";
    public const string CallContext = "global::Toolkit.Rpc.Gateways.RpcCallContext";
    public const string ProxyBase = "global::Toolkit.Rpc.Gateways.RpcProxy";
    public const string TargetType = "global::Toolkit.Rpc.Gateways.RpcTarget";
    public const string VoidType = "global::Toolkit.Rpc.Gateways.RpcVoid";
    public const string Tasks = "global::Toolkit.Rpc.Gateways.RpcTasks";
    public const string SerializationException = "global::Toolkit.Rpc.RpcSerializationException";
    public const string ValueTaskType = "global::System.Threading.Tasks.ValueTask";
    public const string TimeSpanType = "global::System.TimeSpan";
    public const string CollectionsMarshal = "global::System.Runtime.InteropServices.CollectionsMarshal";
    public const string AggressiveInlining = "global::System.Runtime.CompilerServices.MethodImpl(global::System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)";
    public const string GeneratedCode = "global::System.CodeDom.Compiler.GeneratedCode(\"Toolkit.Rpc.Generators\", \"0.1.0\")";
}
