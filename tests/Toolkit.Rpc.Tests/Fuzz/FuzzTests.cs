using System.Buffers;
using System.Buffers.Binary;
using System.Security.Cryptography;
using Toolkit.Rpc.Tests.Endpoints;
using Toolkit.Rpc.Tests.Infrastructure;
using Toolkit.Rpc.Tests.Serialization;
using Toolkit.Rpc.Transport;
using Toolkit.Rpc.Transport.Protocol;
using Xunit.Abstractions;

namespace Toolkit.Rpc.Tests.Fuzz;

/// <summary>
/// A malformed, truncated, oversized or hostile frame closes only its connection, with a logged reason; nothing is
/// instantiated that the generator did not emit; the process, its other connections and its endpoints keep working
/// (DESIGN §3 item 10, §5). Random and mutated input from fixed seeds (<see cref="Fuzz"/>), each test bounded in time
/// and iterations.
/// </summary>
public sealed class FuzzTests(ITestOutputHelper output)
{
    private static readonly int[] FrameLimits = [1024, 1029, 4096, 65_536, RpcTransportOptions.DefaultMaxFrameSize];

    // ---------------------------------------------------------------------------------------------------------------
    // 1. The frame decoder.
    // ---------------------------------------------------------------------------------------------------------------

    [Fact]
    public void Fuzz_frame_decoder_answers_random_and_mutated_bytes_in_any_segmentation_only_with_true_false_or_a_protocol_violation()
    {
        int seed = Fuzz.Seed(output, 1001);
        Random random = new(seed);
        Fuzz.Run(output, TimeSpan.FromSeconds(1.5), 150_000, iteration =>
        {
            int maxFrameSize = FrameLimits[random.Next(FrameLimits.Length)];
            byte[] input = DecoderInput(random, maxFrameSize);
            string Context() => $"{Fuzz.Replay(seed, iteration)}: limit {maxFrameSize}, input {Fuzz.Hex(input)}";

            List<string> specified = DecodeBySpecification(input, maxFrameSize);
            AssertEvents(specified, Decode(new ReadOnlySequence<byte>(input), maxFrameSize, Context), Context);
            AssertEvents(specified, Decode(Segment.Split(input, random), maxFrameSize, Context), Context);
        });
    }

    [Fact]
    public void Fuzz_valid_frames_split_at_random_decode_identically_and_every_prefix_waits_for_the_rest()
    {
        int seed = Fuzz.Seed(output, 1002);
        Random random = new(seed);
        Fuzz.Run(output, TimeSpan.FromSeconds(1.25), 50_000, iteration =>
        {
            List<(FrameType Type, byte[] Body)> frames = [];
            List<byte> stream = [];
            int count = 1 + random.Next(8);
            for (int i = 0; i < count; i++)
            {
                FrameType type = (FrameType)random.Next(256);
                byte[] body = Mutate.RandomBytes(random, random.Next(10) == 0 ? 5000 : 40);
                frames.Add((type, body));
                // The transport's own encoder writes them.
                stream.AddRange(HostileConnection.Encode(type, frame => frame.WriteBytes(body)));
            }

            byte[] bytes = [.. stream];
            string Context() => $"{Fuzz.Replay(seed, iteration)}: {Fuzz.Hex(bytes)}";
            List<string> expected = [.. frames.Select(frame => Describe(frame.Type, frame.Body)), "wait 0"];
            AssertEvents(expected, Decode(Segment.Split(bytes, random, maxSegments: 40), RpcTransportOptions.DefaultMaxFrameSize, Context), Context);

            // Cut anywhere, the stream yields the frames wholly before the cut and then waits, consuming nothing more.
            for (int cuts = 0; cuts < 4; cuts++)
            {
                int cut = random.Next(bytes.Length + 1);
                List<string> prefix = Decode(Segment.Split(bytes[..cut], random), RpcTransportOptions.DefaultMaxFrameSize, Context);
                int whole = 0;
                int offset = 0;
                while (whole < frames.Count && offset + Frames.HeaderSize + frames[whole].Body.Length <= cut)
                {
                    offset += Frames.HeaderSize + frames[whole].Body.Length;
                    whole++;
                }

                AssertEvents([.. expected.Take(whole), $"wait {cut - offset}"], prefix, () => $"{Context()} cut at {cut}");
            }
        });
    }

    [Fact]
    public void Fuzz_frame_limits_are_exact_and_impossible_lengths_are_violations()
    {
        foreach (int limit in FrameLimits.Take(4))
        {
            // A whole frame (prefix included) of exactly the limit is read; one byte more is refused from its header alone.
            byte[] largest = WireFrames.Frame(FrameType.Request, new byte[limit - Frames.HeaderSize]);
            ReadOnlySequence<byte> buffer = new(largest);
            Assert.True(Frames.TryRead(ref buffer, limit, out FrameType type, out ReadOnlySequence<byte> body));
            Assert.Equal((FrameType.Request, (long)(limit - Frames.HeaderSize), 0L), (type, body.Length, buffer.Length));

            byte[] tooLarge = WireFrames.Frame(FrameType.Request, new byte[limit - Frames.HeaderSize + 1]);
            AssertViolation(tooLarge.AsSpan(0, Frames.HeaderSize).ToArray(), limit, "frame limit");
        }

        foreach (int length in (int[])[0, -1, -5, int.MinValue])
        {
            byte[] header = new byte[Frames.HeaderSize];
            BinaryPrimitives.WriteInt32LittleEndian(header, length);
            AssertViolation(header, 1024, "impossible length");
        }

        byte[] huge = new byte[Frames.HeaderSize];
        BinaryPrimitives.WriteInt32LittleEndian(huge, int.MaxValue);
        AssertViolation(huge, int.MaxValue, "frame limit");

        static void AssertViolation(byte[] header, int limit, string reason)
        {
            ReadOnlySequence<byte> buffer = new(header);
            ProtocolViolationException violation = Assert.Throws<ProtocolViolationException>(() => Frames.TryRead(ref buffer, limit, out _, out _));
            Assert.Contains(reason, violation.Message, StringComparison.Ordinal);
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // 2. The handshake decoders.
    // ---------------------------------------------------------------------------------------------------------------

    [Fact]
    public void Fuzz_handshake_decoders_reject_random_and_mutated_bodies_only_with_protocol_or_serialization_errors()
    {
        int seed = Fuzz.Seed(output, 2001);
        Random random = new(seed);
        RandomValues values = new(random);
        int[] decoded = new int[3];
        Fuzz.Run(output, TimeSpan.FromSeconds(1.5), 100_000, iteration =>
        {
            int which = random.Next(3);
            byte[] valid;
            Action<ReadOnlySequence<byte>> decode;
            switch (which)
            {
                case 0:
                    HelloFrame hello = RandomHello(random, values);
                    valid = Body(FrameType.Hello, frame => hello.Write(frame));
                    decode = body => HelloFrame.Read(body);
                    break;
                case 1:
                    byte[] proof = random.Next(2) == 0 ? [] : Mutate.RandomBytes(random, 40);
                    valid = Body(FrameType.Proof, frame => ProofFrame.Write(frame, proof, RpcGatewayRegistry.All));
                    decode = body => ProofFrame.Read(body);
                    break;
                default:
                    string? reason = values.String();
                    valid = Body(FrameType.Refused, frame => RefusedFrame.Write(frame, reason!));
                    decode = body => RefusedFrame.Read(body);
                    break;
            }

            byte[] input = random.Next(10) switch
            {
                0 => valid,
                1 => Mutate.RandomBytes(random, 80),
                _ => Mutate.Some(random, valid),
            };
            string context = $"{Fuzz.Replay(seed, iteration)}: {(which == 0 ? "ReadHello" : which == 1 ? "ReadContracts" : "ReadRefusal")} of {Fuzz.Hex(input)}";
            Exception? failure = Record.Exception(() => decode(Segment.Split(input, random)));
            Assert.True(failure is null or ProtocolViolationException or RpcSerializationException, $"{context}: {failure}");
            Assert.True(input != valid || failure is null, $"{context}: a valid body was rejected: {failure}");
            if (failure is null)
            {
                decoded[which]++;
            }
        });

        output.WriteLine($"decoded without error: {decoded[0]} hellos, {decoded[1]} contract lists, {decoded[2]} refusals");
    }

    [Fact]
    public void Fuzz_valid_handshake_bodies_round_trip()
    {
        int seed = Fuzz.Seed(output, 2002);
        Random random = new(seed);
        RandomValues values = new(random);
        Fuzz.Run(output, TimeSpan.FromSeconds(0.5), 2_000, iteration =>
        {
            HelloFrame hello = RandomHello(random, values);
            HelloFrame read = HelloFrame.Read(Segment.Split(Body(FrameType.Hello, frame => hello.Write(frame)), random));
            Assert.Equal((hello.NodeId, hello.Address, hello.MaxFrameSize, hello.HasSecret), (read.NodeId, read.Address, read.MaxFrameSize, read.HasSecret));
            Assert.Equal(hello.Nonce, read.Nonce);
            Assert.Equal(hello.Proof, read.Proof);

            byte[] proof = Mutate.RandomBytes(random, 40);
            (byte[] readProof, List<ContractFrame> gateways) = ProofFrame.Read(Segment.Split(Body(FrameType.Proof, frame => ProofFrame.Write(frame, proof, RpcGatewayRegistry.All)), random));
            Assert.Equal(proof, readProof);
            Assert.Null(Handshake.CompareContracts(gateways, "here", "there"));
            Assert.Contains(gateways, gateway => gateway.Name == RpcGatewayRegistry.Get<IProbeGateway>().Name);
        });
    }

    // ---------------------------------------------------------------------------------------------------------------
    // 3. Live connections: hostile peers against a listening service that a healthy client keeps calling.
    // ---------------------------------------------------------------------------------------------------------------

    [Fact]
    public async Task Fuzz_hostile_connections_are_closed_with_a_logged_reason_while_the_service_its_endpoints_and_a_healthy_connection_keep_working()
    {
        int seed = Fuzz.Seed(output, 3001);
        Random random = new(seed);
        await using LiveRig rig = await LiveRig.StartAsync();
        rig.StartHealthyCalls();
        HostileSessions sessions = new(rig, random, seed);

        await Fuzz.RunAsync(output, TimeSpan.FromSeconds(4.5), 3_000, sessions.RunAsync);

        await rig.StopHealthyCallsAsync();
        long total = await rig.HealthyProbe.IncrementAsync(0);
        long hostileIncrements = await rig.ModelProbe.IncrementAsync(0);
        Assert.Equal(rig.HealthyIncrements + hostileIncrements, total);
        await rig.AssertEndpointsMatchModelAsync("after the fuzz");
        rig.AssertHealthyConnectionNeverDropped();
        output.WriteLine(sessions.Statistics());
        output.WriteLine($"the healthy client made {rig.HealthyIncrements} calls meanwhile; hostile requests added {hostileIncrements} to the probe's counter");
    }

    [Fact]
    public async Task Fuzz_every_union_tag_in_arguments_is_read_as_its_case_or_refused_and_instantiates_nothing_else()
    {
        await using LiveRig rig = await LiveRig.StartAsync();
        using HostileConnection hostile = await HostileConnection.ConnectAsync(rig.Address);
        await hostile.HandshakeAsync("tags", LiveRig.HostileMaxFrameSize);

        (RpcMethodDescriptor method, byte[] circle) = WireRequests.Capture<IFuzzTargetGateway>(gateway => gateway.DescribeShapeAsync(new Circle(2.5)));
        List<byte> stream = [];
        List<byte[]> tags = [];
        for (int tag = 0; tag < 256; tag++)
        {
            tags.Add([(byte)tag]);
        }

        foreach (ushort wide in (ushort[])[0, 1, 2, 3, 299, 300, 301, 0x7FFF, 0xFFFF])
        {
            tags.Add([RpcWriter.WideUnionTag, (byte)wide, (byte)(wide >> 8)]);
        }

        for (int i = 0; i < tags.Count; i++)
        {
            // The union header, then what follows a Circle's tag.
            stream.AddRange(WireRequests.Request(i + 1, method, 1000, "fuzz", [.. tags[i], .. circle[1..]]));
        }

        SessionOutcome expected = rig.Model.Run([.. stream]);
        Assert.Equal(SessionEnd.Clean, expected.End);
        Assert.True(await hostile.SendAsync(stream.ToArray()));
        List<(FrameType Type, byte[] Body)> replies = [];
        for (int i = 0; i < tags.Count; i++)
        {
            replies.Add((await hostile.ReadFrameAsync(HostileConnection.Bound))!.Value);
        }

        HostileSessions.AssertReplies(replies, expected.Replies, exact: true, "every union tag");
        Dictionary<ReplyStatus, int> statuses = expected.Replies.GroupBy(reply => reply.Status).ToDictionary(group => group.Key, group => group.Count());
        output.WriteLine(string.Join(", ", statuses.Select(pair => $"{pair.Key}: {pair.Value}")));
        // Small tags 0, 1, 2 and wide tags 0, 1, 2, 300 are the cases (which read the bytes that follow as their own
        // shape or refuse them); every other tag is refused before anything is instantiated.
        HashSet<int> cases = [0, 1, 2, 256, 257, 258, 261];
        foreach (ExpectedReply reply in expected.Replies.Where(reply => !cases.Contains((int)reply.CallId - 1)))
        {
            Assert.True(reply.Status == ReplyStatus.Serialization, $"union header {Convert.ToHexString(tags[(int)reply.CallId - 1])}: {reply}");
        }

        await rig.AssertEndpointsMatchModelAsync("every union tag");
    }

    [Fact]
    public async Task Fuzz_oversized_and_impossible_length_claims_close_only_their_connection()
    {
        await using LiveRig rig = await LiveRig.StartAsync();
        (RpcMethodDescriptor method, byte[] arguments) = WireRequests.Capture<IProbeGateway>(gateway => gateway.IncrementAsync(1));
        byte[] valid = WireRequests.Request(7, method, 1000, "probe", arguments);
        int[] claims = [0, -1, int.MinValue, int.MaxValue, LiveRig.ServerMaxFrameSize - 3, LiveRig.ServerMaxFrameSize * 2];
        foreach (int claim in claims)
        {
            using HostileConnection hostile = await HostileConnection.ConnectAsync(rig.Address);
            await hostile.HandshakeAsync($"claim-{claim}", LiveRig.HostileMaxFrameSize);
            byte[] frame = [.. valid];
            BinaryPrimitives.WriteInt32LittleEndian(frame, claim);
            // A valid call first: it is answered, then the bad frame closes the connection without waiting for its body.
            Assert.True(await hostile.SendAsync((byte[])[.. valid, .. frame]));
            List<(FrameType Type, byte[] Body)> frames = [];
            Assert.True(await hostile.WaitForCloseAsync(HostileConnection.Bound, frames), $"a length claim of {claim} left the connection open");
            LogEntry reason = await rig.AwaitServerLogAsync(hostile.LocalPort, $"claim {claim}", RecordingLoggerFactory.ProtocolViolation);
            Assert.Contains(claim < 1 ? "impossible length" : "frame limit", reason.Message, StringComparison.Ordinal);
        }

        // A real frame over the limit, all its bytes sent.
        using (HostileConnection hostile = await HostileConnection.ConnectAsync(rig.Address))
        {
            await hostile.HandshakeAsync("oversized", LiveRig.HostileMaxFrameSize);
            byte[] text = new byte[LiveRig.ServerMaxFrameSize];
            await hostile.SendAsync(WireFrames.Frame(FrameType.Request, text));
            Assert.True(await hostile.WaitForCloseAsync(HostileConnection.Bound, []));
            await rig.AwaitServerLogAsync(hostile.LocalPort, "an oversized frame", RecordingLoggerFactory.ProtocolViolation);
        }

        Assert.Equal(claims.Length + 1, await rig.HealthyProbe.IncrementAsync(1));
        rig.AssertHealthyConnectionNeverDropped();
    }

    [Fact]
    public async Task Fuzz_a_peer_without_the_shared_secret_gets_no_call_read_however_it_goes_on()
    {
        RecordingLoggerFactory logs = new();
        await using RpcService server = await RpcService.StartAsync(new RpcServiceOptions
        {
            Listen = "127.0.0.1:0",
            LoggerFactory = logs,
            Transport = new RpcTransportOptions { SharedSecret = "the secret" },
        });
        await server.StartEndpointAsync(new ProbeEndpoint(), "probe");
        (RpcMethodDescriptor method, byte[] arguments) = WireRequests.Capture<IProbeGateway>(gateway => gateway.Record(7));
        byte[] calls = [.. WireRequests.Request(0, method, -1, "probe", arguments), .. WireRequests.Request(9, method, -1, "probe", arguments)];
        byte[] preamble = HostileConnection.Preamble();
        Random random = new(Fuzz.Seed(output, 3002));
        byte[][] afterWelcome =
        [
            // No proof at all, a wrong one, one of the wrong length, calls instead of the proof.
            [.. HostileConnection.Encode(FrameType.Proof, frame => ProofFrame.Write(frame, [], [])), .. calls],
            [.. HostileConnection.Encode(FrameType.Proof, frame => ProofFrame.Write(frame, RandomBytes(random, 32), [])), .. calls],
            [.. HostileConnection.Encode(FrameType.Proof, frame => ProofFrame.Write(frame, RandomBytes(random, 31), [])), .. calls],
            calls,
        ];
        foreach (byte[] sent in afterWelcome)
        {
            using HostileConnection hostile = await HostileConnection.ConnectAsync(server.Address!);
            byte[] hello = HostileConnection.Encode(FrameType.Hello, frame => new HelloFrame("intruder", null, Handshake.NewNonce(), 1 << 20, true, []).Write(frame));
            Assert.True(await hostile.SendAsync((byte[])[.. preamble, .. hello]));
            Assert.NotNull(await hostile.ReadBytesAsync(Frames.PreambleSize, HostileConnection.Bound));
            (FrameType Type, byte[] Body)? welcome = await hostile.ReadFrameAsync(HostileConnection.Bound);
            Assert.Equal(FrameType.Welcome, welcome?.Type);
            Assert.True(HelloFrame.Read(new ReadOnlySequence<byte>(welcome!.Value.Body)).HasSecret);

            await hostile.SendAsync(sent, random);
            List<(FrameType Type, byte[] Body)> answers = [];
            Assert.True(await hostile.WaitForCloseAsync(HostileConnection.Bound, answers), "the service kept an unauthenticated connection open");
            Assert.All(answers, answer => Assert.Equal(FrameType.Refused, answer.Type));
        }

        Assert.Equal(afterWelcome.Length, logs.WithEvent(RecordingLoggerFactory.Refused).Count());
        Assert.Empty(logs.WithEvent(RecordingLoggerFactory.Connected));
        Assert.Empty(await server.GetGateway<IProbeGateway>("probe").RecordedAsync());
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Helpers.
    // ---------------------------------------------------------------------------------------------------------------

    private static byte[] Body(FrameType type, Action<FrameBuffer> write) => HostileConnection.Encode(type, write)[Frames.HeaderSize..];

    private static HelloFrame RandomHello(Random random, RandomValues values)
    {
        string nodeId = values.String() is { Length: > 0 and <= 256 } id ? id : "node";
        string? address = values.String();
        int maxFrameSize = random.Next(3) switch { 0 => 1024, 1 => int.MaxValue, _ => random.Next(1024, int.MaxValue) };
        return new HelloFrame(nodeId, address, RandomBytes(random, HelloFrame.NonceSize), maxFrameSize, random.Next(2) == 1, random.Next(2) == 0 ? [] : RandomBytes(random, 32));
    }

    private static byte[] RandomBytes(Random random, int length)
    {
        byte[] bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }

    // Input for the decoder: random bytes, random bytes behind a plausible length, or valid frames mutated.
    private static byte[] DecoderInput(Random random, int maxFrameSize)
    {
        switch (random.Next(8))
        {
            case 0:
                return Mutate.RandomBytes(random, 40);
            case 1:
                byte[] plausible = Mutate.RandomBytes(random, 48);
                if (plausible.Length >= 4)
                {
                    BinaryPrimitives.WriteInt32LittleEndian(plausible, random.Next(-2, 50));
                }

                return plausible;
            case 2:
                // Around the limit: the largest frame allowed and the smallest refused, whole or cut.
                int size = maxFrameSize - Frames.HeaderSize + random.Next(-1, 2);
                if (size > 70_000)
                {
                    size = random.Next(70_000);
                }

                byte[] edge = WireFrames.Frame((FrameType)random.Next(256), new byte[size]);
                return random.Next(2) == 0 ? edge : edge[..random.Next(edge.Length)];
            default:
                List<byte> stream = [];
                int count = 1 + random.Next(5);
                for (int i = 0; i < count; i++)
                {
                    stream.AddRange(WireFrames.Frame((FrameType)random.Next(256), Mutate.RandomBytes(random, 40)));
                }

                return random.Next(5) == 0 ? [.. stream] : Mutate.Some(random, [.. stream]);
        }
    }

    // What the documented layout makes of the bytes: whole frames, then a wait (with the bytes left) or a violation.
    private static List<string> DecodeBySpecification(byte[] input, int maxFrameSize)
    {
        List<string> events = [];
        int offset = 0;
        while (true)
        {
            WireFrames.Parsed parsed = WireFrames.Parse(input.AsSpan(offset), maxFrameSize);
            switch (parsed.Kind)
            {
                case WireFrames.ParsedKind.Impossible:
                    events.Add("violation");
                    return events;
                case WireFrames.ParsedKind.Incomplete:
                    events.Add($"wait {input.Length - offset}");
                    return events;
                default:
                    events.Add(Describe(parsed.Type, input.AsSpan(offset + Frames.HeaderSize, parsed.Size - Frames.HeaderSize)));
                    offset += parsed.Size;
                    break;
            }
        }
    }

    // What Frames.TryRead makes of them, checking each step: only true, false or a protocol violation; a frame takes
    // exactly its bytes from the front and its body lies within them; false and a violation consume nothing.
    private static List<string> Decode(ReadOnlySequence<byte> buffer, int maxFrameSize, Func<string> context)
    {
        List<string> events = [];
        while (true)
        {
            ReadOnlySequence<byte> before = buffer;
            bool read;
            FrameType type = default;
            ReadOnlySequence<byte> body = default;
            try
            {
                read = Frames.TryRead(ref buffer, maxFrameSize, out type, out body);
            }
            catch (ProtocolViolationException)
            {
                Assert.True(buffer.Start.Equals(before.Start) && buffer.Length == before.Length, $"{context()}: a violation moved the buffer");
                events.Add("violation");
                return events;
            }
            catch (Exception exception)
            {
                Assert.Fail($"{context()}: Frames.TryRead threw {exception}");
                throw;
            }

            if (!read)
            {
                Assert.True(buffer.Start.Equals(before.Start) && buffer.Length == before.Length, $"{context()}: an incomplete frame moved the buffer");
                events.Add($"wait {buffer.Length}");
                return events;
            }

            long consumed = before.Length - buffer.Length;
            Assert.True(consumed == Frames.HeaderSize + body.Length, $"{context()}: a frame of {body.Length} body bytes consumed {consumed}");
            Assert.True(buffer.Start.Equals(before.GetPosition(consumed)), $"{context()}: the rest does not start right after the frame");
            byte[] bodyBytes = body.ToArray();
            Assert.True(before.Slice(Frames.HeaderSize, body.Length).ToArray().AsSpan().SequenceEqual(bodyBytes), $"{context()}: the body is not the frame's bytes");
            events.Add(Describe(type, bodyBytes));
        }
    }

    // Long bodies (frames near the limit) by length and hash, so that comparing them stays cheap.
    private static string Describe(FrameType type, ReadOnlySpan<byte> body) => body.Length <= 64
        ? $"frame {(byte)type} {Convert.ToHexString(body)}"
        : $"frame {(byte)type} of {body.Length} bytes #{Convert.ToHexString(SHA256.HashData(body))}";

    private static void AssertEvents(List<string> expected, List<string> actual, Func<string> context) =>
        Assert.True(expected.SequenceEqual(actual), $"{context()}:{Environment.NewLine}expected {string.Join(" | ", expected)}{Environment.NewLine}decoded  {string.Join(" | ", actual)}");
}
