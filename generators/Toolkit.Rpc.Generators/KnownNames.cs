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
    public const string FencedAttribute = "Toolkit.Rpc.RpcFencedAttribute";
    public const string UnfencedAttribute = "Toolkit.Rpc.RpcUnfencedAttribute";
    public const string FencedEndpoint = "Toolkit.Rpc.FencedRpcEndpoint";
    public const string Endpoint = "Toolkit.Rpc.RpcEndpoint";

    public const string Writer = "global::Toolkit.Rpc.Infrastructure.RpcWriter";
    public const string Reader = "global::Toolkit.Rpc.Infrastructure.RpcReader";
    public const string ThrowHelper = "global::Toolkit.Rpc.Infrastructure.ThrowHelper";
    public const string SerializerOf = "global::Toolkit.Rpc.Infrastructure.RpcSerializer";
    public const string GatewayReferences = "global::Toolkit.Rpc.Infrastructure.RpcGatewayReferences";
    public const string ByteStreamValues = "global::Toolkit.Rpc.Infrastructure.RpcByteStreamValues";
    public const string MethodDescriptor = "global::Toolkit.Rpc.Infrastructure.RpcMethodDescriptor";
    public const string MethodKind = "global::Toolkit.Rpc.Infrastructure.RpcMethodKind";
    public const string Fault = "global::Toolkit.Rpc.Infrastructure.RpcFault";
    public const string GatewayDescriptor = "global::Toolkit.Rpc.Infrastructure.RpcGatewayDescriptor";
    public const string GatewayRegistry = "global::Toolkit.Rpc.Infrastructure.RpcGatewayRegistry";
    public const string MethodHandler = "global::Toolkit.Rpc.Infrastructure.RpcMethodHandler";
    public const string InvocationInterface = "global::Toolkit.Rpc.Infrastructure.IRpcInvocation";
    public const string StreamInvocationInterface = "global::Toolkit.Rpc.Infrastructure.IRpcStreamInvocation";
    public const string StreamMethodHandler = "global::Toolkit.Rpc.Infrastructure.RpcStreamMethodHandler";
    public const string AsyncEnumerableType = "global::System.Collections.Generic.IAsyncEnumerable";
    public const string CallContext = "global::Toolkit.Rpc.Infrastructure.RpcCallContext";
    public const string ProxyBase = "global::Toolkit.Rpc.Infrastructure.RpcProxy";
    public const string TargetType = "global::Toolkit.Rpc.Infrastructure.RpcTarget";
    public const string VoidType = "global::Toolkit.Rpc.Infrastructure.RpcVoid";
    public const string Tasks = "global::Toolkit.Rpc.Infrastructure.RpcTasks";
    public const string SerializationException = "global::Toolkit.Rpc.RpcSerializationException";
    public const string ValueTaskType = "global::System.Threading.Tasks.ValueTask";
    public const string TimeSpanType = "global::System.TimeSpan";
    public const string CollectionsMarshal = "global::System.Runtime.InteropServices.CollectionsMarshal";
    public const string AggressiveInlining = "global::System.Runtime.CompilerServices.MethodImpl(global::System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)";
    public const string GeneratedCode = "global::System.CodeDom.Compiler.GeneratedCode(\"Toolkit.Rpc.Generators\", \"0.1.0\")";
}
