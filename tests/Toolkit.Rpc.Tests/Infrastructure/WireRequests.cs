using System.Buffers;
using System.Text;
using Toolkit.Rpc.Tests.Fuzz;
using Toolkit.Rpc.Transport.Protocol;

namespace Toolkit.Rpc.Tests.Infrastructure;

/// <summary>
/// Builds valid frames by hand, as a peer would send them: the arguments are captured from the generated proxy
/// (so they are exactly what the generated code writes), the header is the documented request layout.
/// </summary>
internal static class WireRequests
{
    /// <summary>The generated method and the encoded arguments of the call <paramref name="call"/> makes on a gateway.</summary>
    public static (RpcMethodDescriptor Method, byte[] Arguments) Capture<TGateway>(Action<TGateway> call, RpcSerializationContext? context = null)
        where TGateway : class
    {
        CapturingTarget target = new(new RpcEndpointReference("capture", null, "capture"), context);
        call(GatewayOver<TGateway>(target));
        return (target.Method ?? throw new InvalidOperationException("The call reached no target."), target.Arguments!);
    }

    /// <summary>A gateway that travels inside a message as <paramref name="reference"/>, whatever that says.</summary>
    public static TGateway GatewayAt<TGateway>(RpcEndpointReference reference)
        where TGateway : class => GatewayOver<TGateway>(new CapturingTarget(reference, null));

    /// <summary>A request frame: int64 callId, int32 gateway, int32 method, int32 timeoutMs, byte name length, name, arguments.</summary>
    public static byte[] Request(long callId, int gatewayId, int methodId, int timeoutMilliseconds, string endpoint, ReadOnlySpan<byte> arguments)
    {
        byte[] name = Encoding.UTF8.GetBytes(endpoint);
        byte[] args = arguments.ToArray();
        return HostileConnection.Encode(FrameType.Request, frame =>
        {
            RequestFrame.WriteHeader(frame, callId, gatewayId, methodId, timeoutMilliseconds, name);
            frame.WriteBytes(args);
        });
    }

    public static byte[] Request(long callId, RpcMethodDescriptor method, int timeoutMilliseconds, string endpoint, ReadOnlySpan<byte> arguments) =>
        Request(callId, method.Gateway.Id, method.Id, timeoutMilliseconds, endpoint, arguments);

    /// <summary>The offset of the arguments in a request frame for an endpoint named <paramref name="endpoint"/>.</summary>
    public static int ArgumentsOffset(string endpoint) => Frames.HeaderSize + RequestFrame.FixedSize + Encoding.UTF8.GetByteCount(endpoint);

    public static byte[] Lookup(long callId, string endpoint, string gateway) =>
        HostileConnection.Encode(FrameType.Lookup, frame => LookupFrame.Write(frame, callId, endpoint, gateway));

    /// <summary>A contract frame with this process's contract for <paramref name="gateway"/>.</summary>
    public static byte[] Contract(RpcGatewayDescriptor gateway) => HostileConnection.Encode(FrameType.Contract, frame => ContractFrame.Write(frame, gateway));

    public static byte[] Cancel(long callId) => HostileConnection.Encode(FrameType.Cancel, frame => CancelFrame.Write(frame, callId));

    public static byte[] Reply(long callId, byte status, ReadOnlySpan<byte> payload)
    {
        byte[] bytes = payload.ToArray();
        return HostileConnection.Encode(FrameType.Reply, frame =>
        {
            frame.WriteInt64(callId);
            frame.WriteByte(status);
            frame.WriteBytes(bytes);
        });
    }

    private static TGateway GatewayOver<TGateway>(RpcTarget target)
        where TGateway : class => (TGateway)RpcGatewayRegistry.Get<TGateway>().CreateProxy(target);

    /// <summary>A target that encodes each call's arguments with the generated code and keeps them instead of sending.</summary>
    private sealed class CapturingTarget(RpcEndpointReference reference, RpcSerializationContext? context) : RpcTarget
    {
        public RpcMethodDescriptor? Method { get; private set; }

        public byte[]? Arguments { get; private set; }

        public override RpcEndpointReference Reference => reference;

        public override ValueTask<TResult> AskAsync<TInvocation, TResult>(in TInvocation invocation, TimeSpan? timeout, CancellationToken cancellation)
        {
            Capture<TInvocation, TResult>(invocation);
            return new ValueTask<TResult>(default(TResult)!);
        }

        public override ValueTask AskVoidAsync<TInvocation>(in TInvocation invocation, TimeSpan? timeout, CancellationToken cancellation)
        {
            Capture<TInvocation, RpcVoid>(invocation);
            return ValueTask.CompletedTask;
        }

        public override void Tell<TInvocation>(in TInvocation invocation) => Capture<TInvocation, RpcVoid>(invocation);

        private void Capture<TInvocation, TResult>(TInvocation invocation)
            where TInvocation : struct, IRpcInvocation<TInvocation, TResult>
        {
            ArrayBufferWriter<byte> output = new();
            RpcWriter writer = new(output, context);
            invocation.WriteArguments(ref writer);
            writer.Flush();
            Method = TInvocation.Method;
            Arguments = output.WrittenSpan.ToArray();
        }
    }
}
