using System.Buffers.Binary;
using System.Text;
using Toolkit.Rpc.Tests.Endpoints;
using Toolkit.Rpc.Tests.Infrastructure;
using Toolkit.Rpc.Transport;
using Toolkit.Rpc.Transport.Protocol;
using Xunit.Abstractions;

namespace Toolkit.Rpc.Tests.Fuzz;

/// <summary>
/// What the transport fuzz found, each as the smallest input that shows it. Each test states the requirement it
/// checks; while the bug it names is open, the test fails.
/// </summary>
public sealed class FuzzFindingsTests(ITestOutputHelper output)
{
    // Finding 1 (fixed on main in 843b605 while the fuzz was written; kept as regression tests). FrameBuffer.GetSpan and
    // GetMemory evaluated `_buffer` before ReserveSize() grew it, so whenever the frame had to grow they sliced the old,
    // smaller array with the new length and threw ArgumentOutOfRangeException. Every encoder writes through RpcWriter,
    // which asks for spans that way: no request or reply over ~4 KiB could be sent, and an error reply that could not be
    // written left its call unanswered until the caller's timeout.

    [Fact]
    public void A_frame_buffer_hands_out_the_span_and_memory_asked_for_when_it_has_to_grow()
    {
        FrameBuffer frame = new();
        frame.WriteBytes(new byte[100]);

        Span<byte> span = frame.GetSpan(10_000);
        Assert.True(span.Length >= 10_000);
        frame.Advance(10_000);
        Memory<byte> memory = frame.GetMemory(50_000);
        Assert.True(memory.Length >= 50_000);
    }

    [Fact]
    public async Task A_call_whose_arguments_and_result_take_a_few_kilobytes_crosses_the_wire()
    {
        await using Probe probe = await Probe.StartAsync(CallPath.Remote);

        string text = new('x', 5_000);
        Assert.Equal($"{text} (1000 ms)", await probe.Gateway.EchoAsync(text, TimeSpan.FromSeconds(1)));
    }

    // Finding 2. Replies are queued with force: true and a call gave back its slot as soon as its reply was queued,
    // not sent: a peer that sends calls and never reads the replies made the service buffer replies without bound,
    // far past RpcTransportOptions.MaxQueuedBytes, while the service kept reading its calls. Now the service stops
    // reading a peer's calls while the replies waiting for it fill the send queue: TCP's window stops the peer. What
    // the queue can still take beyond its limit is the replies of calls already read (at most MaxPendingCalls).

    [Fact]
    public async Task A_peer_that_never_reads_its_replies_cannot_make_the_service_queue_more_than_its_send_limit()
    {
        const int MaxQueuedBytes = 256 * 1024;
        const int MaxPendingCalls = 64;
        await using LiveRig rig = await LiveRig.StartAsync(maxQueuedBytes: MaxQueuedBytes, maxPendingCalls: MaxPendingCalls);
        // A small receive window: the kernel holds little of what the service sends, the service must hold the rest.
        using HostileConnection hostile = await HostileConnection.ConnectAsync(rig.Address, receiveBufferSize: 4096);
        await hostile.HandshakeAsync("flood", LiveRig.HostileMaxFrameSize);

        // Replies of ~1.3 KB each, ~16 MB in all, then a marker.
        (RpcMethodDescriptor echo, byte[] arguments) = WireRequests.Capture<IProbeGateway>(gateway => gateway.EchoAsync(new string('r', 1_300), TimeSpan.Zero));
        byte[] request = WireRequests.Request(1, echo, 1000, "probe", arguments);
        (RpcMethodDescriptor record, byte[] marker) = WireRequests.Capture<IProbeGateway>(gateway => gateway.Record(42));
        const int Calls = 12_000;
        byte[] flood = new byte[request.Length * Calls];
        for (int i = 0; i < Calls; i++)
        {
            request.CopyTo(flood, i * request.Length);
            BinaryPrimitives.WriteInt64LittleEndian(flood.AsSpan(i * request.Length + Frames.HeaderSize), i + 1);
        }

        // The send blocks once the service stops reading: it runs in the background.
        Task<bool> sending = hostile.SendAsync((byte[])[.. flood, .. WireRequests.Request(0, record, -1, "probe", marker)]);
        RpcConnection connection = rig.Server.Transport.Connections.Get(new RpcEndpointReference("flood", null, "probe"));
        int peak = 0;
        for (int i = 0; i < 100; i++)
        {
            peak = Math.Max(peak, connection.QueuedBytes);
            await Task.Delay(10);
        }

        // Bounded: the limit, plus the replies of the calls in flight when it was crossed and of the calls in the one
        // read buffer (64 KiB) parsed before the read loop checks again.
        int readBufferCalls = 64 * 1024 / request.Length + 1;
        Assert.True(peak <= MaxQueuedBytes + (MaxPendingCalls + readBufferCalls) * request.Length, $"the service queued {peak:N0} bytes of replies for a peer that reads none (limit {MaxQueuedBytes:N0})");
        Assert.True(peak > MaxQueuedBytes / 2, $"the flood should have filled the queue, but it peaked at {peak:N0} bytes");
        Assert.False(sending.IsCompleted, "the service kept reading calls although their replies could not be sent");
        Assert.False(connection.IsClosed);
        Assert.Equal(1, await rig.HealthyProbe.IncrementAsync(1));

        // Once the peer reads, the service reads again: every call runs and the marker arrives.
        Task draining = Task.Run(async () =>
        {
            try
            {
                while (await hostile.ReadFrameAsync(TimeSpan.FromSeconds(2)) is not null)
                {
                }
            }
            catch (TimeoutException)
            {
                // Nothing more for 2 s: every reply has been read.
            }
        });
        Assert.True(await sending.WaitAsync(TimeSpan.FromSeconds(30)));
        DateTime deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!(await rig.HealthyProbe.RecordedAsync()).Contains(42))
        {
            Assert.True(DateTime.UtcNow < deadline, "the probe did not run every call of the flood");
            await Task.Delay(10);
        }

        // The drain ends 2 s after the last reply.
        await draining.WaitAsync(TimeSpan.FromSeconds(30));
    }

    // Finding 3. Error replies are capped at 16K chars of message and 16K of stack, not at the frame limit: with a
    // frame limit under ~100 KB an exception's reply can be larger than the caller accepts, and the caller then closes
    // the whole connection as a protocol violation, failing every other call on it.

    [Fact]
    public async Task An_error_reply_fits_the_callers_frame_limit_and_the_connection_survives_it()
    {
        RecordingLoggerFactory clientLogs = new();
        RpcTransportOptions small = new() { MaxFrameSize = 1024 };
        await using RpcService server = await RpcService.StartAsync(new RpcServiceOptions { Listen = "127.0.0.1:0", Transport = small });
        await server.StartEndpointAsync(new ProbeEndpoint(), "probe");
        await using RpcService client = await RpcService.StartAsync(new RpcServiceOptions { Transport = small, LoggerFactory = clientLogs, DefaultTimeout = TimeSpan.FromSeconds(2) });
        IProbeGateway gateway = await client.ConnectAsync<IProbeGateway>($"rpc://{server.Address}/probe");

        // The request (~950 bytes) fits the limit; the reply is the message plus the type and the remote stack.
        string message = new('m', 900);
        Exception failure = await Assert.ThrowsAnyAsync<Exception>(() => gateway.ThrowAsync(message));

        Assert.True(failure is RpcRemoteException, $"the caller got {failure}");
        Assert.Empty(clientLogs.WithEvent(RecordingLoggerFactory.ProtocolViolation));
        Assert.Equal(1, await gateway.IncrementAsync(1));
        Assert.Single(clientLogs.WithEvent(RecordingLoggerFactory.Connected));
    }

    // Finding 4. The read loop keeps cancellable inbound calls by call id and overwrites an entry when a peer reuses the
    // id: the first call can then no longer be cancelled, neither by a Cancel frame nor when its connection closes, and
    // it stays in flight on its endpoint for as long as the endpoint runs.

    [Fact]
    public async Task Calls_in_flight_are_cancelled_when_their_connection_closes_even_if_the_peer_reused_a_call_id()
    {
        await using LiveRig rig = await LiveRig.StartAsync();
        using (HostileConnection hostile = await HostileConnection.ConnectAsync(rig.Address))
        {
            await hostile.HandshakeAsync("reuser", LiveRig.HostileMaxFrameSize);
            (RpcMethodDescriptor method, byte[] first) = WireRequests.Capture<IFuzzTargetGateway>(gateway => gateway.WaitForCancellationAsync(1, CancellationToken.None));
            (_, byte[] second) = WireRequests.Capture<IFuzzTargetGateway>(gateway => gateway.WaitForCancellationAsync(2, CancellationToken.None));
            Assert.True(await hostile.SendAsync((byte[])[.. WireRequests.Request(77, method, -1, "fuzz", first), .. WireRequests.Request(77, method, -1, "fuzz", second)]));
            await Eventually.True(() => rig.Target.Waiting == 2, "both calls wait");
        }

        DateTime deadline = DateTime.UtcNow + HostileConnection.Bound;
        while (rig.Target.Cancelled < 2 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(10);
        }

        Assert.True(rig.Target.Cancelled == 2, $"{rig.Target.Cancelled} of the 2 calls in flight observed their cancellation after their connection closed");
    }

    // Finding 5. A gateway reference that arrives in a message is not checked when it is read: an endpoint name over
    // 255 bytes makes the RemoteRpcTarget constructor throw ArgumentException out of the deserializer (reported as if
    // the endpoint method had thrown it), and an address that is not host:port makes every later call on the gateway
    // throw FormatException at its caller, one-way calls included, which must never fail their caller.

    [Fact]
    public async Task A_gateway_reference_with_an_endpoint_name_too_long_for_the_wire_is_refused_as_malformed_data()
    {
        await using LiveRig rig = await LiveRig.StartAsync();
        ReplyStatus status = await TellBackAsync(rig, new RpcEndpointReference("elsewhere", "127.0.0.1:1", new string('n', 300)));
        Assert.Equal(ReplyStatus.Serialization, status);
    }

    [Fact]
    public async Task A_one_way_call_on_a_gateway_received_with_a_malformed_address_never_fails_its_caller()
    {
        await using LiveRig rig = await LiveRig.StartAsync();
        ReplyStatus status = await TellBackAsync(rig, new RpcEndpointReference("elsewhere", "no-port-here", "fuzz"));
        // Refusing the reference while reading it and dropping the note with a logged warning are both fine;
        // a FormatException thrown into the endpoint by `peer.Note(...)` is not.
        Assert.True(status is ReplyStatus.Ok or ReplyStatus.Serialization, $"TellBackAsync ended with {status}");
    }

    // Sends TellBackAsync(a gateway at `reference`) over a raw connection; returns the reply's status.
    private async Task<ReplyStatus> TellBackAsync(LiveRig rig, RpcEndpointReference reference)
    {
        using HostileConnection hostile = await HostileConnection.ConnectAsync(rig.Address);
        await hostile.HandshakeAsync("referrer", LiveRig.HostileMaxFrameSize);
        IFuzzTargetGateway peer = WireRequests.GatewayAt<IFuzzTargetGateway>(reference);
        (RpcMethodDescriptor method, byte[] arguments) = WireRequests.Capture<IFuzzTargetGateway>(gateway => gateway.TellBackAsync(peer));
        Assert.True(await hostile.SendAsync(WireRequests.Request(5, method, 1000, "fuzz", arguments)));
        // The reply comes at once or never: an exception thrown while writing it (finding 1) leaves the call unanswered.
        (FrameType type, byte[] body) = (await hostile.ReadFrameAsync(TimeSpan.FromSeconds(2)))!.Value;
        Assert.Equal(FrameType.Reply, type);
        ReplyStatus status = (ReplyStatus)body[8];
        if (status != ReplyStatus.Ok)
        {
            RpcReader reader = new(body.AsSpan(9));
            string? text = reader.ReadString();
            Assert.True(status != ReplyStatus.Exception || text is not null, "an exception reply without a type");
            output.WriteLine($"{status}: {text} {Encoding.UTF8.GetString(body.AsSpan(9))}");
        }

        return status;
    }
}
