using System.Buffers;

namespace Toolkit.Rpc.Tests.Serialization;

/// <summary>How deep objects may nest is <see cref="RpcServiceOptions.MaxDepth"/> (or a context's), 256 by default.</summary>
public sealed class DepthLimitTests
{
    [Fact]
    public async Task A_service_with_a_higher_limit_carries_a_list_deeper_than_the_default_both_ways()
    {
        await using RpcService rpc = await RpcService.StartAsync(new RpcServiceOptions { SerializeLocalCalls = true, MaxDepth = 1000 });
        await rpc.StartEndpointAsync(new RichEndpoint(), "rich");
        Node list = BuildList(RpcWriter.DefaultMaxDepth * 3);

        Node? copy = await rpc.GetGateway<IRichGateway>("rich").EchoNodeAsync(list);

        Assert.NotSame(list, copy);
        Assert.Equal(list, copy);
    }

    [Fact]
    public void A_context_with_a_higher_limit_writes_and_reads_what_the_default_refuses()
    {
        Node list = BuildList(600);
        Assert.Throws<RpcSerializationException>(() => RpcSerializer.Serialize(list));

        DepthContext deep = new(600);
        byte[] bytes = RpcSerializer.Serialize(list, deep);
        Assert.Throws<RpcSerializationException>(() => RpcSerializer.Deserialize<Node>(bytes));
        Assert.Equal(list, RpcSerializer.Deserialize<Node>(bytes, deep));
    }

    [Fact]
    public void A_lower_limit_refuses_data_the_default_accepts()
    {
        byte[] bytes = RpcSerializer.Serialize(BuildList(20));
        RpcSerializationException exception = Assert.Throws<RpcSerializationException>(() => RpcSerializer.Deserialize<Node>(bytes, new DepthContext(10)));
        Assert.Contains("deeper than 10 levels", exception.Message, StringComparison.Ordinal);
        Assert.Throws<RpcSerializationException>(() => RpcSerializer.Serialize(BuildList(20), new DepthContext(10)));
    }

    [Fact]
    public void A_limit_beyond_the_stack_still_ends_deep_data_in_a_serialization_error()
    {
        ArrayBufferWriter<byte> output = new();
        RpcWriter writer = new(output);
        for (int level = 0; level < 2_000_000; level++)
        {
            writer.WriteObjectHeader(2);
            writer.WriteUnmanaged(level);
        }

        writer.WriteNullObject();
        writer.Flush();

        RpcSerializationException exception = Assert.Throws<RpcSerializationException>(
            () => RpcSerializer.Deserialize<Node>(output.WrittenSpan, new DepthContext(int.MaxValue)));
        Assert.Contains("stack", exception.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public async Task A_limit_below_one_is_refused(int maxDepth)
    {
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => RpcService.StartAsync(new RpcServiceOptions { MaxDepth = maxDepth }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new DepthContext(maxDepth));
    }

    private static Node BuildList(int length)
    {
        Node? head = null;
        for (int i = length; i > 0; i--)
        {
            head = new Node(i, head);
        }

        return head!;
    }

    private sealed class DepthContext : RpcSerializationContext
    {
        public DepthContext(int maxDepth) => MaxDepth = maxDepth;

        public override TGateway ResolveGateway<TGateway>(RpcEndpointReference reference) =>
            throw new NotSupportedException("no gateways in these messages");
    }
}
