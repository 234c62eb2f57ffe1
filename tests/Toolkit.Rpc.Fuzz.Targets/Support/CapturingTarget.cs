using System.Buffers;

namespace Toolkit.Rpc.Fuzz;

/// <summary>
/// The target behind the gateways that fuzzed messages carry, and behind the proxies that write the seed corpus's
/// requests: a call is not sent anywhere, its method and encoded arguments are kept.
/// </summary>
internal sealed class CapturingTarget(RpcEndpointReference reference, RpcSerializationContext? context = null) : RpcTarget
{
    public override RpcEndpointReference Reference => reference;

    /// <summary>The method of the last call made through this target.</summary>
    public RpcMethodDescriptor? Method { get; private set; }

    /// <summary>The encoded arguments of the last call, exactly as the generated proxy wrote them.</summary>
    public byte[]? Arguments { get; private set; }

    public override ValueTask<TResult> AskAsync<TInvocation, TResult>(in TInvocation invocation, TimeSpan? timeout, CancellationToken cancellation)
    {
        Capture<TInvocation, TResult>(invocation);
        return ValueTask.FromResult(default(TResult)!);
    }

    public override ValueTask AskVoidAsync<TInvocation>(in TInvocation invocation, TimeSpan? timeout, CancellationToken cancellation)
    {
        Capture<TInvocation, RpcVoid>(invocation);
        return ValueTask.CompletedTask;
    }

    public override void Tell<TInvocation>(in TInvocation invocation) => Capture<TInvocation, RpcVoid>(invocation);

    private void Capture<TInvocation, TResult>(in TInvocation invocation)
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
