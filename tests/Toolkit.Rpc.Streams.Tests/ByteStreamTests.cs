using System.IO.Pipelines;
using Toolkit.Testing.Processes;

namespace Toolkit.Rpc.Streams.Tests;

/// <summary>Stream and PipeReader arguments and results between two services over loopback, whole and checked byte by byte.</summary>
public sealed class ByteStreamTests
{
    public static TheoryData<long, CallerMode> Sizes()
    {
        TheoryData<long, CallerMode> data = [];
        foreach (CallerMode mode in new[] { CallerMode.ClientMode, CallerMode.Listening })
        {
            foreach (long size in new long[] { 0, 1, 64 * 1024, 100 * 1024 * 1024 })
            {
                data.Add(size, mode);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Sizes))]
    public async Task A_stream_argument_arrives_whole(long size, CallerMode mode)
    {
        await using BytesRig rig = await BytesRig.StartAsync(mode);
        PatternStream source = new(size);

        long received = await Within.Bound(rig.Gateway.CountAsync(source, default));

        Assert.Equal(size, received);
        await Within.Bound(source.Disposed);
    }

    [Theory]
    [MemberData(nameof(Sizes))]
    public async Task A_stream_result_arrives_whole(long size, CallerMode mode)
    {
        await using BytesRig rig = await BytesRig.StartAsync(mode);

        await using Stream result = await Within.Bound(rig.Gateway.ProduceAsync(size));

        Assert.Equal(size, await Within.Bound(PatternStream.VerifyAsync(result)));
        await Within.Bound(rig.Endpoint.LastProduced!.Disposed);
    }

    [Theory]
    [InlineData(0L, CallerMode.ClientMode)]
    [InlineData(64L * 1024, CallerMode.ClientMode)]
    [InlineData(100L * 1024 * 1024, CallerMode.Listening)]
    public async Task A_pipe_reader_argument_arrives_whole(long size, CallerMode mode)
    {
        await using BytesRig rig = await BytesRig.StartAsync(mode);
        PatternStream source = new(size);

        long received = await Within.Bound(rig.Gateway.CountPipeAsync(PipeReader.Create(source), default));

        Assert.Equal(size, received);
        await Within.Bound(source.Disposed);
    }

    [Theory]
    [InlineData(1L, CallerMode.ClientMode)]
    [InlineData(100L * 1024 * 1024, CallerMode.ClientMode)]
    public async Task A_pipe_reader_result_arrives_whole(long size, CallerMode mode)
    {
        await using BytesRig rig = await BytesRig.StartAsync(mode);

        PipeReader result = await Within.Bound(rig.Gateway.ProducePipeAsync(size));

        Assert.Equal(size, await Within.Bound(PatternStream.VerifyAsync(result.AsStream())));
    }

    [Fact]
    public async Task Many_streams_at_once_each_arrive_whole()
    {
        await using BytesRig rig = await BytesRig.StartAsync();

        long[] received = await Within.Bound(Task.WhenAll(Enumerable.Range(0, 16).Select(i => rig.Gateway.CountAsync(new PatternStream(i * 100_003L), default))));

        Assert.Equal(Enumerable.Range(0, 16).Select(i => i * 100_003L), received);
    }

    [Fact]
    public async Task A_null_stream_travels_as_null()
    {
        await using BytesRig rig = await BytesRig.StartAsync();

        await Assert.ThrowsAsync<RpcRemoteException>(() => Within.Bound(rig.Gateway.CountAsync(null!, default)));
    }

    [Fact]
    public async Task Streams_authenticate_with_the_shared_secret_and_tls()
    {
        using System.Security.Cryptography.X509Certificates.X509Certificate2 certificate = SelfSignedCertificate.ForLocalhost();
        RpcTransportOptions transport = new()
        {
            SharedSecret = "byte-stream-secret",
            Tls = TestCertificates.Options(certificate),
        };
        await using BytesRig rig = await BytesRig.StartAsync(CallerMode.ClientMode, transport);

        Assert.Equal(5_000_000, await Within.Bound(rig.Gateway.CountAsync(new PatternStream(5_000_000), default)));
        await using Stream result = await Within.Bound(rig.Gateway.ProduceAsync(3_000_000));
        Assert.Equal(3_000_000, await Within.Bound(PatternStream.VerifyAsync(result)));
    }

    [Fact]
    public async Task Between_endpoints_of_one_service_a_stream_passes_serialized_calls_too()
    {
        await using RpcService service = await RpcService.StartAsync(new RpcServiceOptions { SerializeLocalCalls = true });
        await service.StartEndpointAsync(new BytesEndpoint(), "bytes");
        IBytesGateway gateway = service.GetGateway<IBytesGateway>("bytes");

        Assert.Equal(70_000, await Within.Bound(gateway.CountAsync(new PatternStream(70_000), default)));
        await using Stream result = await Within.Bound(gateway.ProduceAsync(9));
        Assert.Equal(9, await Within.Bound(PatternStream.VerifyAsync(result)));
    }
}
